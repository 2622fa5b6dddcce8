// w3c/vc-di-eddsa-test-suite: one ecvet serve with an Ed25519 key; eddsa-jcs-2022 is asked for per request
// through options.cryptosuite. The generic profile signs VC 1.1 and 2.0.
'use strict';
const {server, issuer, verifier, suiteConfig} = require('./_common.cjs');
const ed = server('ED25519');
const supports = {vc: ['1.1', '2.0']};
const suite = cryptosuite => issuer(ed, [cryptosuite], {supports, options: {cryptosuite}});
module.exports = suiteConfig([{
  name: 'ecvet-credentials', implementation: 'ecvet serve',
  issuers: [suite('eddsa-rdfc-2022'), suite('eddsa-jcs-2022')],
  verifiers: [verifier(ed, '/credentials/verify', ['eddsa-rdfc-2022', 'eddsa-jcs-2022'], {supports})]
}]);
