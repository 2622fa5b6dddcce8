// w3c/vc-di-ecdsa-test-suite: one ecvet serve per curve (the service signs with one key), registered as two
// implementations so that every test block runs once per curve (the suite's blocks use only the FIRST issuer
// endpoint of an implementation). ecdsa-jcs-2019 is asked for per request through options.cryptosuite.
'use strict';
const {server, issuer, verifier, suiteConfig} = require('./_common.cjs');
const implementation = (kind, keyType) => {
  const srv = server(kind);
  const extra = {supports: {vc: ['1.1', '2.0']}, supportedEcdsaKeyTypes: [keyType]};
  const suite = cryptosuite => issuer(srv, [cryptosuite], {...extra, options: {cryptosuite}});
  return {
    name: `ecvet-credentials ${keyType}`, implementation: 'ecvet serve',
    issuers: [suite('ecdsa-rdfc-2019'), suite('ecdsa-jcs-2019')],
    verifiers: [verifier(srv, '/credentials/verify', ['ecdsa-rdfc-2019', 'ecdsa-jcs-2019'], extra)]
  };
};
module.exports = suiteConfig([implementation('P256', 'P-256'), implementation('P384', 'P-384')]);
