import 'server-only';
/** Attachment types Sendmux accepts: images, documents, spreadsheets, presentations, text, calendar, contacts. */
const ALLOWED: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  bmp: 'image/bmp',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  svg: 'image/svg+xml',
  heic: 'image/heic',
  heif: 'image/heif',
  avif: 'image/avif',
  ico: 'image/vnd.microsoft.icon',
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  odt: 'application/vnd.oasis.opendocument.text',
  rtf: 'application/rtf',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odp: 'application/vnd.oasis.opendocument.presentation',
  txt: 'text/plain',
  log: 'text/plain',
  csv: 'text/csv',
  tsv: 'text/tab-separated-values',
  md: 'text/markdown',
  markdown: 'text/markdown',
  html: 'text/html',
  htm: 'text/html',
  json: 'application/json',
  xml: 'application/xml',
  yaml: 'application/yaml',
  yml: 'application/yaml',
  ics: 'text/calendar',
  vcf: 'text/vcard',
  vcard: 'text/vcard',
};

/** Executables, scripts, macro documents and archives: named in the message so the user knows why. */
const BLOCKED = new Set(
  (
    'exe bat cmd sh bash js mjs cjs vbs vbe jse wsf wsh ps1 psm1 msi msp dll com scr jar app apk dmg iso img ' +
    'lnk hta cpl reg pif bin deb rpm docm xlsm pptm zip rar 7z tar gz tgz bz2 xz zst lz lzma z cab'
  ).split(' '),
);

export function extensionOf(filename: string): string {
  const dot = filename.lastIndexOf('.');
  return dot <= 0 || dot === filename.length - 1 ? '' : filename.slice(dot + 1).toLowerCase();
}

/** Why Sendmux would reject this filename, or undefined when it is accepted. */
export function attachmentFilenameProblem(filename: string): string | undefined {
  const ext = extensionOf(filename);
  if (ext === '')
    return `"${filename}" has no file extension; attachments need an allowed type such as .pdf, .png or .docx`;
  if (BLOCKED.has(ext))
    return `.${ext} files are not allowed: executables, scripts and archives are rejected`;
  if (!Object.hasOwn(ALLOWED, ext))
    return `.${ext} files are not allowed; send images, PDFs, office documents, spreadsheets, presentations, text, calendar or contact files`;
  return undefined;
}

export function contentTypeFor(filename: string): string {
  return ALLOWED[extensionOf(filename)] ?? 'application/octet-stream';
}

export const ALLOWED_EXTENSIONS = Object.keys(ALLOWED);
