import base from './eslint.config.mjs';
export default [...base, { files: ['src/**/*.ts'], rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] } }];
