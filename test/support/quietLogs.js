// n8n's logger writes the errors that engine tests provoke on purpose (a wrong password, a missing file) straight
// to stdout, where they hide a real failure. Tests read errors from the run itself, never from the log.
// N8N_LOG_LEVEL=info npx jest shows them again.
process.env.N8N_LOG_LEVEL ??= 'silent';
