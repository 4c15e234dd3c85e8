//! The body: what is compressed (and possibly encrypted) inside a link.
//!
//! # Body, version 1
//!
//! ```text
//! body     = settings page app_version count meta{count} data{count}
//! settings = str                 the settings as compact JSON text
//! page     = str
//! app_version = str
//! count    = uvar                number of files, at most MAX_FILES
//! meta     = name:str role:str size:uvar
//! data     = the file's raw bytes (size of them), in the order of the table
//! str      = len:uvar utf8[len]
//! uvar     = unsigned LEB128 (7 bits a byte, low first, at most 10 bytes)
//! ```
//!
//! The file bytes are stored raw and together after the table (not base64 inside JSON), so
//! DEFLATE sees the CSV text itself and the similar columns of several files in one stream.
//! Nothing may follow the last file.

use super::doc::{DocFile, WorkspaceDoc};
use super::error::ShareError;
use super::format::MAX_FILES;

fn put_uvar(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn put_str(out: &mut Vec<u8>, s: &[u8]) {
    put_uvar(out, s.len() as u64);
    out.extend_from_slice(s);
}

/// Writes the body of `doc`.
pub fn write_body(doc: &WorkspaceDoc) -> Result<Vec<u8>, ShareError> {
    if doc.files.len() > MAX_FILES {
        return Err(ShareError::invalid(format!(
            "{} files; a link holds at most {MAX_FILES}",
            doc.files.len()
        )));
    }
    let settings =
        serde_json::to_vec(&doc.settings).map_err(|_| ShareError::invalid("settings JSON"))?;
    let data_len: usize = doc.files.iter().map(|f| f.bytes.len()).sum();
    let mut out = Vec::with_capacity(settings.len() + data_len + 64 * (doc.files.len() + 1));
    put_str(&mut out, &settings);
    put_str(&mut out, doc.page.as_bytes());
    put_str(&mut out, doc.app_version.as_bytes());
    put_uvar(&mut out, doc.files.len() as u64);
    for f in &doc.files {
        put_str(&mut out, f.name.as_bytes());
        put_str(&mut out, f.role.as_bytes());
        put_uvar(&mut out, f.bytes.len() as u64);
    }
    for f in &doc.files {
        out.extend_from_slice(&f.bytes);
    }
    Ok(out)
}

struct Reader<'a> {
    buf: &'a [u8],
}

impl<'a> Reader<'a> {
    fn uvar(&mut self, what: &str) -> Result<u64, ShareError> {
        let mut v: u64 = 0;
        for i in 0..10 {
            let (&b, rest) = self
                .buf
                .split_first()
                .ok_or_else(|| ShareError::invalid(format!("{what} (ends early)")))?;
            self.buf = rest;
            let bits = u64::from(b & 0x7f);
            if i == 9 && bits > 1 {
                return Err(ShareError::invalid(format!("{what} (number too large)")));
            }
            v |= bits << (7 * i);
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(ShareError::invalid(format!("{what} (number too long)")))
    }

    fn bytes(&mut self, n: u64, what: &str) -> Result<&'a [u8], ShareError> {
        let n = usize::try_from(n)
            .ok()
            .filter(|&n| n <= self.buf.len())
            .ok_or_else(|| ShareError::invalid(format!("{what} (ends early)")))?;
        let (head, rest) = self.buf.split_at(n);
        self.buf = rest;
        Ok(head)
    }

    fn str(&mut self, what: &str) -> Result<String, ShareError> {
        let n = self.uvar(what)?;
        let b = self.bytes(n, what)?;
        String::from_utf8(b.to_vec())
            .map_err(|_| ShareError::invalid(format!("{what} (not UTF-8)")))
    }
}

/// Reads a body written by [`write_body`].
pub fn read_body(body: &[u8]) -> Result<WorkspaceDoc, ShareError> {
    let mut r = Reader { buf: body };
    let n = r.uvar("settings")?;
    let settings = r.bytes(n, "settings")?;
    let settings: serde_json::Value =
        serde_json::from_slice(settings).map_err(|_| ShareError::invalid("settings JSON"))?;
    let page = r.str("page")?;
    let app_version = r.str("app version")?;
    let count = r.uvar("file count")?;
    if count > MAX_FILES as u64 {
        return Err(ShareError::invalid(format!(
            "{count} files; a link holds at most {MAX_FILES}"
        )));
    }
    let mut table = Vec::with_capacity(count as usize);
    for i in 0..count {
        let name = r.str(&format!("file {} name", i + 1))?;
        let role = r.str(&format!("file {} role", i + 1))?;
        let size = r.uvar(&format!("file {} size", i + 1))?;
        table.push((name, role, size));
    }
    let mut files = Vec::with_capacity(table.len());
    for (i, (name, role, size)) in table.into_iter().enumerate() {
        let bytes = r.bytes(size, &format!("file {} data", i + 1))?.to_vec();
        files.push(DocFile { name, role, bytes });
    }
    if !r.buf.is_empty() {
        return Err(ShareError::invalid("bytes after the last file"));
    }
    Ok(WorkspaceDoc {
        files,
        settings,
        page,
        app_version,
    })
}
