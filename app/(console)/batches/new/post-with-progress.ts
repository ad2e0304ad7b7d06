/** The answer to a POST sent by postWithProgress: its status and its JSON body (null if it had none). */
export type PostAnswer = { status: number; body: unknown };

/**
 * POSTs `body` with XMLHttpRequest, which, unlike fetch, reports how much of the body has gone:
 * the server reads an upload as it checks and stores it, so this is how far it has got (give or
 * take what the network buffers). Rejects only when no answer came.
 */
export function postWithProgress(
  url: string,
  body: Blob,
  onProgress: (sent: number, total: number) => void,
): Promise<PostAnswer> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded, e.total);
    };
    xhr.onload = () => {
      let parsed: unknown = null;
      try {
        parsed = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        parsed = null;
      }
      resolve({ status: xhr.status, body: parsed });
    };
    xhr.onerror = () => reject(new Error('The console did not answer'));
    xhr.send(body);
  });
}
