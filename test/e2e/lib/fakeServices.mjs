/**
 * Stand-ins for what the examples talk to besides the OCR service, on loopback, recording what they receive:
 * a CRM's HTTP API and an SMTP server.
 */
import http from 'node:http';
import net from 'node:net';

const listen = (server) =>
	new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve(server.address().port));
	});

const closeServer = (server) => new Promise((resolve) => server.close(() => resolve()));

/** Answers every request 201 with `{ id }` and records `{ method, path, headers, body }`. */
export async function startHttpRecorder() {
	const requests = [];
	const server = http.createServer((request, response) => {
		const chunks = [];
		request.on('data', (chunk) => chunks.push(chunk));
		request.on('end', () => {
			const text = Buffer.concat(chunks).toString('utf8');
			let body = text;
			try {
				body = JSON.parse(text);
			} catch {
				// kept as text
			}
			requests.push({ method: request.method, path: request.url, headers: request.headers, body });
			response.writeHead(201, { 'Content-Type': 'application/json' });
			response.end(JSON.stringify({ id: `contact-${requests.length}` }));
		});
	});
	const port = await listen(server);
	return { url: `http://127.0.0.1:${port}`, requests, close: () => closeServer(server) };
}

/**
 * A plain SMTP server (no TLS, no AUTH) that accepts every message. Each message is recorded as
 * `{ from, to: [], data }` with `data` the raw message text (headers and body).
 */
export async function startSmtpRecorder() {
	const messages = [];
	const sockets = new Set();
	const server = net.createServer((socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		socket.setEncoding('utf8');
		let buffer = '';
		let message = null;
		let inData = false;
		const say = (line) => socket.write(`${line}\r\n`);
		say('220 localhost SMTP recorder');
		socket.on('data', (chunk) => {
			buffer += chunk;
			for (;;) {
				if (inData) {
					const end = buffer.indexOf('\r\n.\r\n');
					if (end === -1) return;
					message.data = buffer.slice(0, end).replace(/^\.\./gm, '.');
					buffer = buffer.slice(end + 5);
					messages.push(message);
					inData = false;
					say('250 OK queued');
					continue;
				}
				const lineEnd = buffer.indexOf('\r\n');
				if (lineEnd === -1) return;
				const line = buffer.slice(0, lineEnd);
				buffer = buffer.slice(lineEnd + 2);
				const verb = line.slice(0, 4).toUpperCase();
				if (verb === 'EHLO') {
					say('250-localhost');
					say('250 8BITMIME');
				} else if (verb === 'HELO') say('250 localhost');
				else if (verb === 'MAIL') {
					message = { from: line.slice(10).trim(), to: [], data: '' };
					say('250 OK');
				} else if (verb === 'RCPT') {
					message?.to.push(line.slice(8).trim());
					say('250 OK');
				} else if (verb === 'DATA') {
					inData = true;
					say('354 End data with <CR><LF>.<CR><LF>');
				} else if (verb === 'QUIT') {
					say('221 Bye');
					socket.end();
				} else say('250 OK');
			}
		});
	});
	const port = await listen(server);
	return {
		port,
		messages,
		close: () => {
			for (const socket of sockets) socket.destroy();
			return closeServer(server);
		},
	};
}

const completion = (message, finishReason) => ({
	id: `chatcmpl-${Date.now()}`,
	object: 'chat.completion',
	created: Math.floor(Date.now() / 1000),
	model: 'stub-model',
	choices: [{ index: 0, message, finish_reason: finishReason, logprobs: null }],
	usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
});

/**
 * What a chat model with tool calling does, scripted: the first turn calls the first tool offered, with the first
 * link in the user's message as the tool's first parameter; once a tool result is in the conversation, it answers
 * with that result quoted. Speaks OpenAI's Chat Completions API (`POST /v1/chat/completions`, no streaming).
 * `requests` keeps each request body.
 */
export async function startChatModelStub() {
	const requests = [];
	const answer = (body) => {
		const toolResult = [...body.messages].reverse().find((message) => message.role === 'tool');
		if (toolResult) {
			return completion(
				{ role: 'assistant', content: `The tool returned: ${toolResult.content}` },
				'stop',
			);
		}
		const tool = body.tools?.[0]?.function;
		const question = body.messages.filter((message) => message.role === 'user').pop();
		const link = String(question?.content ?? '').match(/https?:\/\/\S+/)?.[0];
		if (!tool || !link)
			return completion({ role: 'assistant', content: 'No tool or link to use.' }, 'stop');
		const [parameter] = Object.keys(tool.parameters?.properties ?? {});
		const call = {
			id: `call_${requests.length}`,
			type: 'function',
			function: { name: tool.name, arguments: JSON.stringify({ [parameter]: link }) },
		};
		return completion({ role: 'assistant', content: null, tool_calls: [call] }, 'tool_calls');
	};
	const server = http.createServer((request, response) => {
		const chunks = [];
		request.on('data', (chunk) => chunks.push(chunk));
		request.on('end', () => {
			const text = Buffer.concat(chunks).toString('utf8');
			const body = text ? JSON.parse(text) : {};
			requests.push({ method: request.method, path: request.url, body });
			const reply = request.url.endsWith('/chat/completions')
				? answer(body)
				: { object: 'list', data: [] };
			response.writeHead(200, { 'Content-Type': 'application/json' });
			response.end(JSON.stringify(reply));
		});
	});
	const port = await listen(server);
	return { url: `http://127.0.0.1:${port}/v1`, requests, close: () => closeServer(server) };
}
