import type { Page } from '@playwright/test';

/** The Evidence screen: digest validation, bundle export, bundle verification. */
export class EvidencePage {
  constructor(readonly page: Page) {}
  tab() {
    return this.page.getByRole('tab', { name: 'Evidence' });
  }
  async open() {
    await this.tab().click();
    await this.validateButton().waitFor();
  }

  // Digest validation
  publicKeys() {
    return this.page.getByTestId('val-public-keys');
  }
  signatures() {
    return this.page.getByTestId('val-signatures-path');
  }
  useFoundKeys() {
    return this.page.getByTestId('use-found-keys');
  }
  validateButton() {
    return this.page.getByTestId('validation-run');
  }
  validationProgress() {
    return this.page.getByTestId('validation-progress');
  }
  summary() {
    return this.page.getByTestId('validation-summary');
  }
  /** A count of the summary: digests, logs-valid, tampered, missing, unlisted, chain-breaks, digests-missing, gaps. */
  count(name: 'digests' | 'logs-valid' | 'tampered' | 'missing' | 'unlisted' | 'chain-breaks' | 'digests-missing' | 'gaps') {
    return this.page.getByTestId(`val-${name}`);
  }
  signaturesState() {
    return this.page.getByTestId('val-signatures-state');
  }
  signaturesValid() {
    return this.page.getByTestId('val-signatures-valid');
  }
  signaturesInvalid() {
    return this.page.getByTestId('val-signatures-invalid');
  }
  signatureNote() {
    return this.page.getByTestId('signature-note');
  }
  statusFilter(status: string) {
    return this.page.getByTestId(`status-filter-${status}`);
  }
  groups() {
    return this.page.getByTestId('validation-group');
  }
  group(region: string) {
    return this.page.locator(`[data-testid="validation-group"][data-region="${region}"]`);
  }
  results() {
    return this.page.getByTestId('validation-result');
  }

  // Export
  outPath() {
    return this.page.getByTestId('export-out');
  }
  includeTimeline() {
    return this.page.getByTestId('export-timeline');
  }
  exportButton() {
    return this.page.getByTestId('export-run');
  }
  exportProgress() {
    return this.page.getByTestId('export-progress');
  }
  exportState() {
    return this.page.getByTestId('export-progress-state');
  }
  exportResult() {
    return this.page.getByTestId('export-result');
  }
  exportResultPath() {
    return this.page.getByTestId('export-result-path');
  }
  exportResultFiles() {
    return this.page.getByTestId('export-result-files');
  }
  exportResultSigned() {
    return this.page.getByTestId('export-result-signed');
  }
  exportResultDigest() {
    return this.page.getByTestId('export-result-digest');
  }

  // Verify
  bundlePath() {
    return this.page.getByTestId('verify-bundle');
  }
  verifyButton() {
    return this.page.getByTestId('verify-run');
  }
  verifyResult() {
    return this.page.getByTestId('verify-result');
  }
  verifyStatus() {
    return this.page.getByTestId('verify-status');
  }
  verifySignature() {
    return this.page.getByTestId('verify-signature');
  }
  changedFiles() {
    return this.page.getByTestId('verify-changed').getByRole('listitem');
  }
  missingFiles() {
    return this.page.getByTestId('verify-missing');
  }
  addedFiles() {
    return this.page.getByTestId('verify-added');
  }
}
