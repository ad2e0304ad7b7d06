// What Sendmux accepts as attachments: common images, documents, spreadsheets, presentations,
// text, calendar and contact files. Executables and archives are rejected (CONTRACT.md).

export const ALLOWED_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  bmp: 'image/bmp',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  heic: 'image/heic',
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
  key: 'application/vnd.apple.keynote',
  pages: 'application/vnd.apple.pages',
  numbers: 'application/vnd.apple.numbers',
  txt: 'text/plain',
  csv: 'text/csv',
  tsv: 'text/tab-separated-values',
  md: 'text/markdown',
  html: 'text/html',
  htm: 'text/html',
  json: 'application/json',
  xml: 'application/xml',
  log: 'text/plain',
  ics: 'text/calendar',
  vcf: 'text/vcard',
  eml: 'message/rfc822',
};

const BLOCKED: Record<string, string> = {
  exe: 'an executable program',
  msi: 'an installer',
  bat: 'a Windows script',
  cmd: 'a Windows script',
  com: 'an executable program',
  scr: 'an executable screen saver',
  pif: 'an executable shortcut',
  dll: 'a program library',
  sys: 'a system file',
  cpl: 'a control panel program',
  ps1: 'a PowerShell script',
  vbs: 'a VBScript',
  vbe: 'a VBScript',
  js: 'a JavaScript file',
  jse: 'a JavaScript file',
  wsf: 'a Windows script',
  hta: 'an HTML application',
  sh: 'a shell script',
  bash: 'a shell script',
  app: 'an application bundle',
  dmg: 'a disk image',
  iso: 'a disk image',
  apk: 'an Android app',
  jar: 'a Java archive',
  deb: 'a software package',
  rpm: 'a software package',
  lnk: 'a shortcut',
  reg: 'a registry file',
  zip: 'an archive',
  rar: 'an archive',
  '7z': 'an archive',
  tar: 'an archive',
  gz: 'an archive',
  tgz: 'an archive',
  bz2: 'an archive',
  xz: 'an archive',
  zst: 'an archive',
  cab: 'an archive',
};

export function extensionOf(filename: string): string {
  const dot = filename.lastIndexOf('.');
  return dot > 0 ? filename.slice(dot + 1).toLowerCase() : '';
}

export type FileTypeCheck = { ok: true; contentType: string } | { ok: false; reason: string };

/** Whether Sendmux will accept a file with this name, and its MIME type; the reason when not. */
export function checkAttachmentType(filename: string): FileTypeCheck {
  const ext = extensionOf(filename);
  if (!ext)
    return {
      ok: false,
      reason: `“${filename}” has no file extension; Sendmux needs one to know the file type (e.g. .pdf, .png, .csv)`,
    };
  const blocked = BLOCKED[ext];
  if (blocked)
    return {
      ok: false,
      reason: `“${filename}” is ${blocked} (.${ext}); Sendmux rejects executables and archives. Send the files themselves, or share a link`,
    };
  const contentType = ALLOWED_TYPES[ext];
  if (!contentType)
    return {
      ok: false,
      reason: `.${ext} files are not on Sendmux's list of allowed attachments (images, documents, spreadsheets, presentations, text, calendar and contact files)`,
    };
  return { ok: true, contentType };
}

/** Extensions for an <input type="file" accept="…">. */
export const ACCEPT_ATTRIBUTE = Object.keys(ALLOWED_TYPES)
  .map((ext) => `.${ext}`)
  .join(',');
