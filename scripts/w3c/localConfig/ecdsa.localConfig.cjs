// w3c/vc-di-ecdsa-test-suite: one ecvet serve per curve (the service signs with one key), registered as two
// implementations so that every test block runs once per curve (the suite's blocks use only the FIRST issuer
// endpoint of an implementation). ecdsa-jcs-2019 is asked for per request through options.cryptosuite.
'use strict';
const {authHeaders, verifierOptions, server} = require('./_common.cjs');
const implementation = (kind, keyType) => {
  const srv = server(kind);
  const issuer = cryptosuite => ({
    id: srv.did,
    endpoint: `${srv.base}/credentials/issue`,
    headers: authHeaders,
    supports: {vc: ['1.1', '2.0']},   // the generic profile signs VC 1.1 and 2.0
    supportedEcdsaKeyTypes: [keyType],
    options: {cryptosuite},
    tags: [cryptosuite]
  });
  return {
    name: `ecvet-credentials ${keyType}`,
    implementation: 'ecvet serve',
    issuers: [issuer('ecdsa-rdfc-2019'), issuer('ecdsa-jcs-2019')],
    verifiers: [{
      id: srv.did,
      endpoint: `${srv.base}/credentials/verify`,
      supports: {vc: ['1.1', '2.0']},
      supportedEcdsaKeyTypes: [keyType],
      ...verifierOptions,
      tags: ['ecdsa-rdfc-2019', 'ecdsa-jcs-2019']
    }]
  };
};
module.exports = {
  settings: {enableInteropTests: false, testAllImplementations: false},
  implementations: [implementation('P256', 'P-256'), implementation('P384', 'P-384')]
};
