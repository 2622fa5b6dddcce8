// w3c/vc-di-eddsa-test-suite: one ecvet serve with an Ed25519 key; eddsa-jcs-2022 is asked for per request
// through options.cryptosuite (the project honours it when it fits the key).
'use strict';
const {authHeaders, verifierOptions, server} = require('./_common.cjs');
const ed = server('ED25519');
module.exports = {
  settings: {enableInteropTests: false, testAllImplementations: false},
  implementations: [{
    name: 'ecvet-credentials',
    implementation: 'ecvet serve',
    issuers: [{
      id: ed.did,
      endpoint: `${ed.base}/credentials/issue`,
      headers: authHeaders,
      supports: {vc: ['1.1', '2.0']},
      options: {cryptosuite: 'eddsa-rdfc-2022'},
      tags: ['eddsa-rdfc-2022']
    }, {
      id: ed.did,
      endpoint: `${ed.base}/credentials/issue`,
      headers: authHeaders,
      supports: {vc: ['1.1', '2.0']},
      options: {cryptosuite: 'eddsa-jcs-2022'},
      tags: ['eddsa-jcs-2022']
    }],
    verifiers: [{
      id: ed.did,
      endpoint: `${ed.base}/credentials/verify`,
      supports: {vc: ['1.1', '2.0']},
      ...verifierOptions,
      tags: ['eddsa-rdfc-2022', 'eddsa-jcs-2022']
    }]
  }]
};
