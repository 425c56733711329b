/** Answers of a broken path between client and service, for `Emulator.injectFaults()`. */
import { type Answer, errorReply, reply } from './replies';
import type { Fault } from './types';

const PROXY_PAGE =
	'<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n' +
	'<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

/** A 200 whose body stops mid-object, as when a proxy cuts a response short. */
const BROKEN_JSON = '{"result":{"passport_type":"P","country_code":"UTO","passport_number":"L8989';

/** The gateway's answer when AK/SK signing fails too often; it recovers on its own. */
const REFUSED_ONCE =
	'Incorrect IAM authentication information: AK access failed to reach the limit,forbidden.';

/** `retryAfter`: the emulator's knob; Huawei documents no Retry-After on throttling. */
export function faultAnswer(fault: Fault, requestId: string, retryAfter: boolean): Answer {
	switch (fault) {
		case '5xx':
			return reply(errorReply('ModelArts.4403', requestId));
		case 'throttle': {
			const headers: Record<string, string> = retryAfter ? { 'Retry-After': '1' } : {};
			return reply(errorReply('APIGW.0308', requestId, { headers }));
		}
		case '401':
			return reply(errorReply('APIGW.0301', requestId, { message: REFUSED_ONCE }));
		case 'html':
			return reply({ status: 502, headers: { 'Content-Type': 'text/html' }, body: PROXY_PAGE });
		case 'malformed':
			return reply({
				status: 200,
				headers: { 'Content-Type': 'application/json;charset=UTF-8' },
				body: BROKEN_JSON,
			});
		case 'drop':
			return { type: 'drop' };
		case 'hang':
			return { type: 'hang' };
	}
}
