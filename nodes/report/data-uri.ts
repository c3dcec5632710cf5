import { promises as fs } from 'fs';
import * as path from 'path';
import { IMAGE_EXTENSIONS } from './artifact-names';

/** The MIME type of a picture file by its extension, or undefined if it is not one the report shows. */
export function imageType(file: string): string | undefined {
  return IMAGE_EXTENSIONS[path.extname(file).toLowerCase()];
}

/** A file inlined as a data URI: the page then needs nothing beside it to open. */
export async function fileDataUri(file: string, mime: string): Promise<string> {
  return bytesDataUri(await fs.readFile(file), mime);
}

export function bytesDataUri(bytes: Buffer | string, mime: string): string {
  return `data:${mime};base64,${Buffer.from(bytes).toString('base64')}`;
}
