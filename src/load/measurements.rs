//! KPI measurements from CSV files.

use std::path::Path;

use super::*;
use crate::date::Date;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, Span};

/// Reads a KPI's CSV data file (`date,value` rows, an optional header):
/// its path relative to the site root, when it stays inside the site, and
/// its measurements.
pub(super) fn read_csv(
    loaded: &mut Loaded,
    files: &dyn SiteFiles,
    kpi_path: &str,
    data: &Sp<String>,
) -> (Option<String>, Vec<MeasurementDoc>) {
    let relative = Path::new(kpi_path)
        .parent()
        .unwrap_or(Path::new(""))
        .join(&data.value);
    let Some(normal) = normalise_inside(&relative) else {
        loaded.diagnostics.push(
            Diagnostic::new(
                Code::UnreadableFile,
                format!("data file `{}` is outside the site", data.value),
            )
            .at(data.span)
            .hint("keep CSV data beside the KPI file"),
        );
        return (None, Vec::new());
    };
    let path = relative_path(Path::new(""), &normal);
    let bytes = match files.read(&path) {
        Ok(bytes) => bytes,
        Err(error) => {
            let (label, hint) = match error {
                ReadError::Missing => ("no such file in the site", true),
                ReadError::Outside => ("a link out of the site or a file in a hidden folder", true),
                ReadError::Io(_) => ("not a readable file", false),
            };
            let mut diagnostic = Diagnostic::new(
                Code::UnreadableFile,
                format!("cannot read data file `{}`", data.value),
            )
            .at(data.span)
            .label(label);
            if hint {
                diagnostic = diagnostic.hint(format!(
                    "the path is relative to `{kpi_path}`; okra reads only files inside the site root, outside hidden folders"
                ));
            }
            loaded.diagnostics.push(diagnostic);
            return (Some(path), Vec::new());
        }
    };
    let file = add_text(
        &mut loaded.sources,
        &mut loaded.diagnostics,
        &path,
        super::memo::decode(None, &path, bytes),
    );
    if loaded
        .diagnostics
        .iter()
        .any(|d| d.code == Code::NotUtf8 && d.file == Some(file))
    {
        return (Some(path), Vec::new());
    }
    let text = loaded.sources.get(file).text.clone();
    let (out, problems) = read_measurements(&text, file);
    loaded.diagnostics.extend(problems);
    (Some(path), out)
}

/// How a CSV file separates its fields: `;` or a tab where a spreadsheet
/// set to a language with decimal commas wrote it (`2026-06-01;4,1`),
/// else `,`. Read from its first line of data or header.
fn delimiter(text: &str) -> u8 {
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .unwrap_or("");
    if first.contains(';') {
        b';'
    } else if first.contains('\t') {
        b'\t'
    } else {
        b','
    }
}

/// The rows of a KPI's CSV data: `date,value` or `date,value,note`, after
/// an optional header (in any language: a first row that is not a
/// measurement). Comment lines (`#`) and blank lines may come anywhere;
/// fields may be quoted; a date may be a month (`2023-10`, its first day).
/// A file separated by `;` or tabs may write decimal commas (`4,1`).
pub(super) fn read_measurements(
    text: &str,
    file: FileId,
) -> (Vec<MeasurementDoc>, Vec<Diagnostic>) {
    let delimiter = delimiter(text);
    let decimal_comma = delimiter != b',';
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .comment(Some(b'#'))
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let line_span = |offset: usize| {
        let offset = offset.min(text.len());
        let line = &text[offset..];
        let line = &line[..line.find('\n').unwrap_or(line.len())];
        let lead = line.len() - line.trim_start().len();
        Span::new(file, offset + lead..offset + lead + line.trim().len())
    };
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let mut first = true;
    for record in reader.records() {
        let (span, problem) = match record {
            Err(error) => {
                let offset = error.position().map_or(0, |p| p.byte() as usize);
                let row = error.position().map_or(1, |p| p.line() as usize);
                (
                    line_span(offset),
                    format!("row {row}: not a CSV row: {error}"),
                )
            }
            Ok(record) => {
                let (offset, row) = record
                    .position()
                    .map_or((0, 1), |p| (p.byte() as usize, p.line() as usize));
                // `date,value`, `Dato;Verdi`: a first row whose first
                // field is no date and whose second is no number.
                let header = first
                    && record
                        .get(0)
                        .is_some_and(|f| Date::parse_day_or_month(f).is_none())
                    && record
                        .get(1)
                        .is_none_or(|v| number(v, decimal_comma).is_none());
                first = false;
                if header || record.iter().all(str::is_empty) {
                    continue;
                }
                let span = line_span(offset);
                match measurement(&record, row, decimal_comma) {
                    Ok((date, value, note)) => {
                        out.push(MeasurementDoc {
                            span,
                            date,
                            value,
                            note,
                        });
                        continue;
                    }
                    Err(problem) => (span, problem),
                }
            }
        };
        problems.push(
            Diagnostic::new(Code::BadCsv, problem)
                .at(span)
                .hint(if decimal_comma {
                    "each row is `2026-07-01;9,1`, `2026-07;9,1` or `2026-07-01;9,1;a note`"
                } else {
                    "each row is `2026-07-01,9.1`, `2026-07,9.1` or `2026-07-01,9.1,a note`"
                }),
        );
    }
    (out, problems)
}

/// The date, value and note of one CSV row, or what is wrong with it.
pub(super) fn measurement(
    record: &csv::StringRecord,
    row: usize,
    decimal_comma: bool,
) -> Result<(Date, f64, Option<String>), String> {
    let fields: Vec<&str> = record.iter().collect();
    let (date, value, note) = match fields.as_slice() {
        [date, value] => (date, value, None),
        [date, value, note] => (
            date,
            value,
            Some(note.to_string()).filter(|n| !n.is_empty()),
        ),
        _ => {
            return Err(format!(
                "row {row}: expected `date,value` or `date,value,note`, found {}",
                crate::diagnostic::plural(fields.len(), "field")
            ));
        }
    };
    match (
        Date::parse_day_or_month(date),
        number(value, decimal_comma).ok_or(()),
    ) {
        (Some(date), Ok(value)) if fields::in_magnitude(value) => Ok((date, value, note)),
        (None, _) => Err(format!(
            "row {row}: `{date}` is not a date (YYYY-MM-DD) or a month (YYYY-MM)"
        )),
        (_, Ok(_)) => Err(format!(
            "row {row}: `{value}` is larger than okra computes with (±{:e})",
            fields::MAX_MAGNITUDE
        )),
        _ => Err(format!("row {row}: `{value}` is not a number")),
    }
}

/// A value as a CSV field writes it; with decimal commas, `4,1` is 4.1
/// and `1.234,5` is 1234.5.
fn number(field: &str, decimal_comma: bool) -> Option<f64> {
    if let Ok(n) = field.parse::<f64>() {
        return Some(n);
    }
    if !decimal_comma || field.matches(',').count() != 1 {
        return None;
    }
    let (whole, fraction) = field.split_once(',')?;
    // Dots group thousands in front of a decimal comma.
    let grouped = whole.split('.').skip(1).all(|g| g.len() == 3);
    let whole = whole.replace('.', "");
    (grouped && fraction.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("{whole}.{fraction}").parse().ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (date, value) rows and (quoted text, message) problems.
    type Rows = (Vec<(String, f64)>, Vec<(String, String)>);

    fn rows(text: &str) -> Rows {
        let mut sources = Sources::default();
        let file = sources.add("kpis/x.csv", text.to_string());
        let (out, problems) = read_measurements(&sources.get(file).text, file);
        let values = out.iter().map(|m| (m.date.to_string(), m.value)).collect();
        let problems = problems
            .iter()
            .map(|d| {
                let span = d.span.expect("a place");
                (text[span.range()].to_string(), d.message.clone())
            })
            .collect();
        (values, problems)
    }

    #[test]
    fn csv_headers_may_follow_comments_and_fields_may_be_quoted() {
        let (values, problems) = rows(
            "# Tickets per customer, from the help desk\n\n  date , value\n\"2026-07-01\",\"9.5\"\n# July\n2026-08-01, 9.1 \n",
        );
        assert_eq!(
            values,
            [
                ("2026-07-01".to_string(), 9.5),
                ("2026-08-01".to_string(), 9.1)
            ]
        );
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn european_spreadsheet_exports_are_read() {
        let (values, problems) =
            rows("Dato;Verdi\n2026-06-01;4,1\n2026-07-01;1.234,5\n2026-08;5\n");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            values,
            [
                ("2026-06-01".to_string(), 4.1),
                ("2026-07-01".to_string(), 1234.5),
                ("2026-08-01".to_string(), 5.0)
            ]
        );
        let (values, problems) = rows("Datum\tWert\n2026-06-01\t3,75\n");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(values, [("2026-06-01".to_string(), 3.75)]);
        // One problem per bad row, in the file's own terms.
        let (_, problems) = rows("Dato;Verdi\n2026-06-01;4,1,2\n");
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].1.contains("`4,1,2` is not a number"),
            "{problems:?}"
        );
        // A comma-separated file keeps the dot as its decimal point.
        let (values, _) = rows("date,value\n2026-06-01,\"4,1\"\n");
        assert!(values.is_empty(), "{values:?}");
    }

    #[test]
    fn months_and_notes_are_read() {
        let text = "date,value,note\n2023-10,41\n2023-11,44,\"Launch, at last\"\n2023-12-15,47\n";
        let mut sources = Sources::default();
        let file = sources.add("kpis/x.csv", text.to_string());
        let (out, problems) = read_measurements(&sources.get(file).text, file);
        assert!(problems.is_empty(), "{problems:?}");
        let read: Vec<(String, f64, Option<&str>)> = out
            .iter()
            .map(|m| (m.date.to_string(), m.value, m.note.as_deref()))
            .collect();
        assert_eq!(
            read,
            [
                ("2023-10-01".to_string(), 41.0, None),
                ("2023-11-01".to_string(), 44.0, Some("Launch, at last")),
                ("2023-12-15".to_string(), 47.0, None),
            ]
        );
    }

    #[test]
    fn bad_csv_rows_point_at_their_line() {
        let (values, problems) = rows(
            "date,value\n2026-07-01,9\n2026-13-01,9\n  2026-08-01,nine\n2026-09-01\n\"2026-10-01,1\n",
        );
        assert_eq!(values, [("2026-07-01".to_string(), 9.0)]);
        let texts: Vec<&str> = problems.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(
            texts,
            [
                "2026-13-01,9",
                "2026-08-01,nine",
                "2026-09-01",
                "\"2026-10-01,1"
            ]
        );
        assert!(
            problems[0]
                .1
                .starts_with("row 3: `2026-13-01` is not a date"),
            "{problems:?}"
        );
        assert!(
            problems[1].1.starts_with("row 4: `nine` is not a number"),
            "{problems:?}"
        );
        assert!(
            problems[2]
                .1
                .contains("expected `date,value` or `date,value,note`"),
            "{problems:?}"
        );
    }
}
