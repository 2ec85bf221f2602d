// The GraphQL-over-HTTP audit (graphql-http) of the server at the URL given; run by bench/audit.py.
import { auditServer } from 'graphql-http';
const url = process.argv[2];
const results = await auditServer({ url, fetchFn: fetch });
let bad = 0;
for (const r of results) {
  if (r.status !== 'ok') { console.log(`${r.status.toUpperCase()} ${r.id} ${r.name}: ${r.reason}`); if (r.status !== 'notice') bad++; }
}
console.log(`${results.filter(r => r.status === 'ok').length} ok, ${results.filter(r => r.status === 'warn').length} warnings, ${results.filter(r => r.status === 'error').length} errors, ${results.filter(r => r.status === 'notice').length} notices`);
process.exit(bad ? 1 : 0);
