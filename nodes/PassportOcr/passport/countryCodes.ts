/**
 * The three-letter codes an MRZ may carry for issuing state and nationality: ICAO Doc 9303 Part 3 (8th edition)
 * §5, "Codes for Nationality, Place of Birth, Location of Issuing State/Authority and Other Purposes". That list
 * is every ISO 3166-1 alpha-3 code plus the codes below, which ISO 3166-1 does not assign.
 */

/** ISO 3166-1 alpha-3, all 249 officially assigned codes, in alphabetical order. */
const ISO_3166_ALPHA_3 = `
	ABW AFG AGO AIA ALA ALB AND ARE ARG ARM ASM ATA ATF ATG AUS AUT AZE
	BDI BEL BEN BES BFA BGD BGR BHR BHS BIH BLM BLR BLZ BMU BOL BRA BRB BRN BTN BVT BWA
	CAF CAN CCK CHE CHL CHN CIV CMR COD COG COK COL COM CPV CRI CUB CUW CXR CYM CYP CZE
	DEU DJI DMA DNK DOM DZA
	ECU EGY ERI ESH ESP EST ETH
	FIN FJI FLK FRA FRO FSM
	GAB GBR GEO GGY GHA GIB GIN GLP GMB GNB GNQ GRC GRD GRL GTM GUF GUM GUY
	HKG HMD HND HRV HTI HUN
	IDN IMN IND IOT IRL IRN IRQ ISL ISR ITA
	JAM JEY JOR JPN
	KAZ KEN KGZ KHM KIR KNA KOR KWT
	LAO LBN LBR LBY LCA LIE LKA LSO LTU LUX LVA
	MAC MAF MAR MCO MDA MDG MDV MEX MHL MKD MLI MLT MMR MNE MNG MNP MOZ MRT MSR MTQ MUS MWI MYS MYT
	NAM NCL NER NFK NGA NIC NIU NLD NOR NPL NRU NZL
	OMN
	PAK PAN PCN PER PHL PLW PNG POL PRI PRK PRT PRY PSE PYF
	QAT
	REU ROU RUS RWA
	SAU SDN SEN SGP SGS SHN SJM SLB SLE SLV SMR SOM SPM SRB SSD STP SUR SVK SVN SWE SWZ SXM SYC SYR
	TCA TCD TGO THA TJK TKL TKM TLS TON TTO TUN TUR TUV TWN TZA
	UGA UKR UMI URY USA UZB
	VAT VCT VEN VGB VIR VNM VUT
	WLF WSM
	YEM
	ZAF ZMB ZWE
`;

/**
 * Doc 9303 Part 3 §5 codes outside ISO 3166-1. Not taken: `IAO`, which ICAO uses only to sign master lists and
 * which never appears on a passport.
 */
export const ICAO_CODES_OUTSIDE_ISO: Readonly<Record<string, string>> = {
	// Germany writes a single letter, padded with fillers in the MRZ (`D<<`).
	D: 'Germany',
	GBD: 'British Overseas Territories Citizen',
	GBN: 'British National (Overseas)',
	GBO: 'British Overseas Citizen',
	GBP: 'British Protected Person',
	GBS: 'British Subject',
	RKS: 'Republic of Kosovo',
	EUE: 'European Union',
	UNO: 'United Nations Organization or one of its officials',
	UNA: 'United Nations specialized agency or one of its officials',
	UNK: 'Resident of Kosovo with a travel document issued by UNMIK',
	XBA: 'African Development Bank',
	XIM: 'African Export-Import Bank',
	XCC: 'Caribbean Community or one of its emissaries',
	XCE: 'Council of Europe',
	XCO: 'Common Market for Eastern and Southern Africa',
	XEC: 'Economic Community of West African States',
	XPO: 'International Criminal Police Organization',
	XES: 'Organization of Eastern Caribbean States',
	XMP: 'Parliamentary Assembly of the Mediterranean',
	XOM: 'Sovereign Military Order of Malta or one of its emissaries',
	XDC: 'Southern African Development Community',
	XXA: 'Stateless person (1954 Convention)',
	XXB: 'Refugee (1951 Convention and 1967 Protocol)',
	XXC: 'Refugee, other than under XXB',
	XXX: 'Person of unspecified nationality',
	// Withdrawn from ISO 3166-1; Part 3 keeps them for documents issued before the withdrawal.
	ANT: 'Netherlands Antilles',
	NTZ: 'Neutral Zone',
	// The fictional state of Doc 9303's specimens: a document that says Utopia is a sample.
	UTO: 'Utopia (specimen)',
};

export const ISO_3166_CODES: readonly string[] = ISO_3166_ALPHA_3.trim().split(/\s+/);

const ICAO_CODES: ReadonlySet<string> = new Set([
	...ISO_3166_CODES,
	...Object.keys(ICAO_CODES_OUTSIDE_ISO),
]);

/** True for a code on the Doc 9303 list, written without MRZ fillers (`D`, not `D<<`). */
export function isIcaoCountryCode(code: string): boolean {
	return ICAO_CODES.has(code);
}

/** Germany is `D` in the MRZ but may be printed, or returned by OCR, as its ISO code `DEU`. */
export function sameCountry(a: string, b: string): boolean {
	const canonical = (code: string) => (code === 'DEU' ? 'D' : code);
	return canonical(a) === canonical(b);
}
