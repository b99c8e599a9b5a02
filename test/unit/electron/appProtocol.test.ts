import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { isAllowedRequest, resolveAppFile } from '../../../electron/appProtocol';

const root = path.resolve('/opt/cloudsift/renderer');

test('app:// maps to files inside the renderer build only', () => {
  assert.equal(resolveAppFile(root, 'app://cloudsift/index.html'), path.join(root, 'index.html'));
  assert.equal(resolveAppFile(root, 'app://cloudsift/'), path.join(root, 'index.html'));
  assert.equal(resolveAppFile(root, 'app://cloudsift/assets/index-abc.js'), path.join(root, 'assets/index-abc.js'));
  // The URL parser folds dot segments away first, so ../ cannot climb out of the build.
  assert.equal(resolveAppFile(root, 'app://cloudsift/%2e%2e/%2e%2e/etc/passwd'), path.join(root, 'etc/passwd'));
  assert.equal(resolveAppFile(root, 'app://cloudsift/..%2f..%2fetc/passwd'), null);
  assert.equal(resolveAppFile(root, 'app://elsewhere/index.html'), null);
  assert.equal(resolveAppFile(root, 'file:///etc/passwd'), null);
  assert.equal(resolveAppFile(root, 'app://cloudsift/%E0%A4%A'), null);
});

test('windows may request their own files and nothing on the network', () => {
  assert.equal(isAllowedRequest('app://cloudsift/assets/x.css'), true);
  assert.equal(isAllowedRequest('https://example.com/beacon.gif'), false);
  assert.equal(isAllowedRequest('http://127.0.0.1:8080/'), false);
  assert.equal(isAllowedRequest('file:///etc/passwd'), false);
  assert.equal(isAllowedRequest('app://cloudsift.evil/'), false);
});
