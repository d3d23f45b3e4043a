import { getFitGarminProductDisplayName } from 'fit-file-parser';
import { FitMessage, numberField, stringField } from './messages';

const titleCase = (words: string) => words.replace(/_/g, ' ').replace(/\b[a-z]/g, (letter) => letter.toUpperCase());

/** "Garmin Forerunner 965", "COROS PACE 2", "Wahoo Fitness 28" — from the file_id message. */
export function describeDevice(fileId: FitMessage | undefined): string | undefined {
  const productName = stringField(fileId, 'product_name');
  if (productName) return productName;
  const manufacturer = stringField(fileId, 'manufacturer');
  const product = numberField(fileId, 'product');
  const garminName = manufacturer === 'garmin' && product !== undefined ? getFitGarminProductDisplayName(product) : undefined;
  const parts = [manufacturer && titleCase(manufacturer), garminName ?? (product !== undefined ? String(product) : undefined)];
  return parts.filter(Boolean).join(' ') || undefined;
}
