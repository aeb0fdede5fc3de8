//! An RFC 4180 CSV reader over a byte slice that keeps each row's byte span and line number.
//!
//! Handles quoted fields with embedded delimiters, doubled quotes and line breaks, CRLF or LF
//! line ends, and a sniffed delimiter (`,`, `;`, tab or `|`). A quoted field that never closes
//! is an error for that row; the reader then resumes at the next line so the rest still loads.

/// One cell of a row: byte range of its content and whether it needs `""` unescaping.
#[derive(Debug, Clone, Copy)]
pub struct Cell {
    /// Start of the content (after an opening quote).
    pub start: usize,
    /// End of the content (before a closing quote).
    pub end: usize,
    /// Content contains doubled quotes that decode to one.
    pub escaped: bool,
}

/// A row as read: its span, first line number, and cells.
#[derive(Debug, Clone, Copy)]
pub struct RowInfo {
    /// Byte offset where the row starts.
    pub start: usize,
    /// Byte offset just past the row's last byte (excluding the line break).
    pub end: usize,
    /// 1-based line number where the row starts.
    pub line: u64,
}

/// A row that could not be read.
#[derive(Debug, Clone)]
pub struct CsvError {
    /// 1-based line number where the bad row starts.
    pub line: u64,
    /// Byte offset of the row.
    pub start: usize,
    /// Why.
    pub reason: String,
}

/// Streaming CSV reader.
pub struct Reader<'a> {
    src: &'a [u8],
    pos: usize,
    line: u64,
    delim: u8,
}

impl<'a> Reader<'a> {
    /// A reader starting at `pos` (line 1 is the line containing `pos`).
    pub fn new(src: &'a [u8], pos: usize, delim: u8) -> Self {
        Reader {
            src,
            pos,
            line: 1,
            delim,
        }
    }

    /// Current byte offset.
    pub fn pos(&self) -> usize {
        self.pos
    }

    /// Reads the next row into `cells`; `None` at the end of input. Blank lines are skipped.
    pub fn next_row(&mut self, cells: &mut Vec<Cell>) -> Option<Result<RowInfo, CsvError>> {
        let s = self.src;
        // skip blank lines
        while self.pos < s.len() && (s[self.pos] == b'\n' || s[self.pos] == b'\r') {
            if s[self.pos] == b'\n' {
                self.line += 1;
            }
            self.pos += 1;
        }
        if self.pos >= s.len() {
            return None;
        }
        cells.clear();
        let start = self.pos;
        let line = self.line;
        let mut i = self.pos;
        loop {
            // one cell
            if s.get(i) == Some(&b'"') {
                let cstart = i + 1;
                let mut j = cstart;
                let mut escaped = false;
                loop {
                    match memchr::memchr(b'"', &s[j..]) {
                        None => {
                            // unterminated: resume after the row's first line
                            let nl = memchr::memchr(b'\n', &s[start..])
                                .map_or(s.len(), |k| start + k + 1);
                            self.pos = nl;
                            self.line = line + 1;
                            return Some(Err(CsvError {
                                line,
                                start,
                                reason: "unterminated quoted field".into(),
                            }));
                        }
                        Some(k) => {
                            j += k;
                            if s.get(j + 1) == Some(&b'"') {
                                escaped = true;
                                j += 2;
                            } else {
                                break;
                            }
                        }
                    }
                }
                self.line += s[cstart..j].iter().filter(|c| **c == b'\n').count() as u64;
                cells.push(Cell {
                    start: cstart,
                    end: j,
                    escaped,
                });
                i = j + 1;
                // tolerate junk between closing quote and delimiter (keep it out of the cell)
                while i < s.len() && s[i] != self.delim && s[i] != b'\n' && s[i] != b'\r' {
                    i += 1;
                }
            } else {
                let mut j = i;
                while j < s.len() && s[j] != self.delim && s[j] != b'\n' && s[j] != b'\r' {
                    j += 1;
                }
                cells.push(Cell {
                    start: i,
                    end: j,
                    escaped: false,
                });
                i = j;
            }
            match s.get(i) {
                Some(&c) if c == self.delim => i += 1,
                _ => break,
            }
        }
        let end = i;
        // consume the line break
        if s.get(i) == Some(&b'\r') {
            i += 1;
        }
        if s.get(i) == Some(&b'\n') {
            i += 1;
            self.line += 1;
        }
        self.pos = i;
        Some(Ok(RowInfo { start, end, line }))
    }
}

/// The decoded text of a cell (lossy on invalid UTF-8, `""` → `"`).
pub fn cell_text<'a>(src: &'a [u8], c: &Cell) -> std::borrow::Cow<'a, str> {
    let raw = &src[c.start..c.end];
    let s = String::from_utf8_lossy(raw);
    if c.escaped {
        std::borrow::Cow::Owned(s.replace("\"\"", "\""))
    } else {
        s
    }
}

/// Picks the delimiter from the header line: the most frequent of `,` `;` tab `|` outside quotes.
pub fn sniff_delimiter(header: &[u8]) -> u8 {
    let mut counts = [0usize; 4];
    let cands = [b',', b';', b'\t', b'|'];
    let mut inq = false;
    for &c in header {
        if c == b'"' {
            inq = !inq;
        } else if !inq {
            if let Some(k) = cands.iter().position(|d| *d == c) {
                counts[k] += 1;
            }
        }
    }
    let mut best = 0;
    for k in 1..4 {
        if counts[k] > counts[best] {
            best = k;
        }
    }
    cands[best]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(src: &str, d: u8) -> Vec<Result<Vec<String>, u64>> {
        let mut r = Reader::new(src.as_bytes(), 0, d);
        let mut cells = vec![];
        let mut out = vec![];
        while let Some(row) = r.next_row(&mut cells) {
            out.push(match row {
                Ok(_) => Ok(cells
                    .iter()
                    .map(|c| cell_text(src.as_bytes(), c).into_owned())
                    .collect()),
                Err(e) => Err(e.line),
            });
        }
        out
    }

    #[test]
    fn quoted_multiline_and_escapes() {
        let src = "a,b,c\r\n1,\"x, \"\"y\"\"\nz\",3\r\n\r\n4,,\"\"\n";
        let r = rows(src, b',');
        assert_eq!(r.len(), 3);
        assert_eq!(r[1].as_ref().unwrap(), &vec!["1", "x, \"y\"\nz", "3"]);
        assert_eq!(r[2].as_ref().unwrap(), &vec!["4", "", ""]);
    }

    #[test]
    fn line_numbers_count_embedded_breaks() {
        let src = "h\n\"a\nb\"\nc\n";
        let mut r = Reader::new(src.as_bytes(), 0, b',');
        let mut cells = vec![];
        let lines: Vec<u64> = std::iter::from_fn(|| r.next_row(&mut cells))
            .map(|x| x.unwrap().line)
            .collect();
        assert_eq!(lines, vec![1, 2, 4]);
    }

    #[test]
    fn unterminated_quote_is_reported_and_reading_resumes() {
        let src = "h1,h2\n1,\"oops\n";
        let r = rows(src, b',');
        assert_eq!(r[0].as_ref().unwrap(), &vec!["h1", "h2"]);
        assert_eq!(r[1], Err(2));
    }

    #[test]
    fn sniffs_delimiters() {
        assert_eq!(sniff_delimiter(b"a;b;c"), b';');
        assert_eq!(sniff_delimiter(b"a\tb\tc"), b'\t');
        assert_eq!(sniff_delimiter(b"\"a;x\",b,c"), b',');
        assert_eq!(sniff_delimiter(b"abc"), b',');
    }
}
