//! A small, bounded zip reader (stored and deflate entries) for archives the user hands in —
//! Sigma rule packs today. Pure: bytes in, entries out; no I/O.
//!
//! Limits guard against zip bombs and hostile archives: at most [`MAX_ENTRIES`] entries, each at
//! most [`MAX_ENTRY`] bytes uncompressed, [`MAX_TOTAL`] bytes in all. Anything else is an error
//! naming the entry and the reason.

use std::io::Read;

/// Most entries read from one archive.
pub const MAX_ENTRIES: usize = 20_000;
/// Largest uncompressed entry.
pub const MAX_ENTRY: u64 = 64 << 20;
/// Largest total uncompressed size.
pub const MAX_TOTAL: u64 = 512 << 20;

/// One file of an archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Path inside the archive.
    pub name: String,
    /// Uncompressed bytes.
    pub data: Vec<u8>,
}

fn u16_at(b: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(i..i + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(i..i + 4)?.try_into().ok()?))
}

/// Is this a zip archive (local file header magic)?
pub fn is_zip(b: &[u8]) -> bool {
    b.starts_with(b"PK\x03\x04") || b.starts_with(b"PK\x05\x06")
}

/// Reads every file entry (directories skipped) in central-directory order.
pub fn entries(b: &[u8]) -> Result<Vec<Entry>, String> {
    // End of central directory: the last "PK\5\6" within the final 64 KiB + 22 bytes.
    let tail_start = b.len().saturating_sub(65_557);
    let eocd = (tail_start..b.len().saturating_sub(21))
        .rev()
        .find(|&i| b[i..].starts_with(b"PK\x05\x06"))
        .ok_or("not a zip archive (no end-of-central-directory record)")?;
    let count = u16_at(b, eocd + 10).ok_or("truncated zip")? as usize;
    let mut p = u32_at(b, eocd + 16).ok_or("truncated zip")? as usize;
    if count > MAX_ENTRIES {
        return Err(format!("zip has {count} entries (limit {MAX_ENTRIES})"));
    }
    let mut out = Vec::new();
    let mut total = 0u64;
    for _ in 0..count {
        if u32_at(b, p) != Some(0x0201_4b50) {
            return Err("corrupt zip central directory".into());
        }
        let method = u16_at(b, p + 10).ok_or("truncated zip")?;
        let csize = u32_at(b, p + 20).ok_or("truncated zip")? as usize;
        let usize_ = u32_at(b, p + 24).ok_or("truncated zip")? as u64;
        let nlen = u16_at(b, p + 28).ok_or("truncated zip")? as usize;
        let elen = u16_at(b, p + 30).ok_or("truncated zip")? as usize;
        let clen = u16_at(b, p + 32).ok_or("truncated zip")? as usize;
        let local = u32_at(b, p + 42).ok_or("truncated zip")? as usize;
        let name = String::from_utf8_lossy(b.get(p + 46..p + 46 + nlen).ok_or("truncated zip")?)
            .into_owned();
        p += 46 + nlen + elen + clen;
        if name.ends_with('/') {
            continue;
        }
        if usize_ > MAX_ENTRY {
            return Err(format!(
                "{name}: {usize_} bytes uncompressed (limit {MAX_ENTRY})"
            ));
        }
        total += usize_;
        if total > MAX_TOTAL {
            return Err(format!("zip expands to more than {MAX_TOTAL} bytes"));
        }
        if u32_at(b, local) != Some(0x0403_4b50) {
            return Err(format!("{name}: corrupt local header"));
        }
        let lname = u16_at(b, local + 26).ok_or("truncated zip")? as usize;
        let lextra = u16_at(b, local + 28).ok_or("truncated zip")? as usize;
        let start = local + 30 + lname + lextra;
        let raw = b
            .get(start..start + csize)
            .ok_or_else(|| format!("{name}: truncated data"))?;
        let data = match method {
            0 => raw.to_vec(),
            8 => {
                let mut d = Vec::with_capacity(usize_ as usize);
                flate2::read::DeflateDecoder::new(raw)
                    .take(MAX_ENTRY + 1)
                    .read_to_end(&mut d)
                    .map_err(|e| format!("{name}: {e}"))?;
                if d.len() as u64 > MAX_ENTRY {
                    return Err(format!("{name}: expands beyond {MAX_ENTRY} bytes"));
                }
                d
            }
            m => {
                return Err(format!(
                    "{name}: compression method {m} is not supported (stored and deflate are)"
                ))
            }
        };
        out.push(Entry { name, data });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// Builds a zip with one stored and one deflated entry (what `zip -r` writes, minus extras).
    fn build(files: &[(&str, &[u8], bool)]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut central = Vec::new();
        for (name, data, deflate) in files {
            let (method, payload) = if *deflate {
                let mut e =
                    flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
                e.write_all(data).unwrap();
                (8u16, e.finish().unwrap())
            } else {
                (0u16, data.to_vec())
            };
            let off = out.len() as u32;
            out.extend_from_slice(b"PK\x03\x04");
            out.extend_from_slice(&[20, 0, 0, 0]);
            out.extend_from_slice(&method.to_le_bytes());
            out.extend_from_slice(&[0; 8]); // time, date, crc (not checked)
            out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out.extend_from_slice(&(name.len() as u16).to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes());
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(&payload);
            central.extend_from_slice(b"PK\x01\x02");
            central.extend_from_slice(&[20, 0, 20, 0, 0, 0]);
            central.extend_from_slice(&method.to_le_bytes());
            central.extend_from_slice(&[0; 8]);
            central.extend_from_slice(&(payload.len() as u32).to_le_bytes());
            central.extend_from_slice(&(data.len() as u32).to_le_bytes());
            central.extend_from_slice(&(name.len() as u16).to_le_bytes());
            central.extend_from_slice(&[0; 12]);
            central.extend_from_slice(&off.to_le_bytes());
            central.extend_from_slice(name.as_bytes());
        }
        let cd = out.len() as u32;
        out.extend_from_slice(&central);
        out.extend_from_slice(b"PK\x05\x06\0\0\0\0");
        out.extend_from_slice(&(files.len() as u16).to_le_bytes());
        out.extend_from_slice(&(files.len() as u16).to_le_bytes());
        out.extend_from_slice(&(central.len() as u32).to_le_bytes());
        out.extend_from_slice(&cd.to_le_bytes());
        out.extend_from_slice(&[0, 0]);
        out
    }

    #[test]
    fn reads_stored_and_deflated_entries() {
        let z = build(&[
            ("rules/a.yml", b"title: A\n", false),
            ("rules/b.yml", &b"title: B\n".repeat(50), true),
        ]);
        assert!(is_zip(&z));
        let e = entries(&z).unwrap();
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].name, "rules/a.yml");
        assert_eq!(e[1].data, b"title: B\n".repeat(50));
    }

    #[test]
    fn hostile_archives_are_errors_not_crashes() {
        assert!(entries(b"PK\x03\x04garbage").is_err());
        assert!(entries(b"").is_err());
        let mut z = build(&[("a", b"x", false)]);
        let n = z.len();
        z[n - 6] = 0xFF; // central directory offset points nowhere
        assert!(entries(&z).is_err());
        for cut in [10, 30, 60] {
            let z = build(&[("a.yml", b"hello", true)]);
            let _ = entries(&z[..z.len() - cut]);
        }
    }
}
