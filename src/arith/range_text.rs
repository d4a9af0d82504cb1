//! The text of a range, `LO..HI`: two complete numbers joined by exactly two dots. `0...1`,
//! `1..2..3`, `.5..1` and `1...5` are refused, never read as some other box (`0...1` split at
//! its first two dots would be `0` and `.1`). Used by every place that reads a range: the
//! `[verify]` boxes of proofs files and `--box`, `table`'s axes, `simulate`'s `--start-box`.

/// Splits `text` (already stripped of any `:log`-style suffix) into its two ends, each
/// trimmed. An end is complete when, after an optional sign, it starts with a digit and ends
/// with a digit. The error says what is wrong, quoting the text.
pub fn split_range(text: &str) -> Result<(&str, &str), String> {
    let shape = "a range is LO..HI with two complete numbers, such as 0..1 or 1e-4..0.5";
    let Some(at) = text.find("..") else {
        return Err(format!("`{text}` is not a range: {shape}"));
    };
    let (lo, rest) = (&text[..at], &text[at + 2..]);
    if rest.starts_with('.') {
        return Err(format!(
            "`{text}` is not a range: it has three dots or more where two join the ends; {shape}"
        ));
    }
    if rest.contains("..") {
        return Err(format!(
            "`{text}` is not a range: it has more than one `..`; {shape}"
        ));
    }
    let (lo, hi) = (lo.trim(), rest.trim());
    for (which, end) in [("lower", lo), ("upper", hi)] {
        let body = end.trim_start_matches(['+', '-']);
        let complete = body.starts_with(|c: char| c.is_ascii_digit())
            && body.ends_with(|c: char| c.is_ascii_digit());
        if !complete {
            return Err(if end.is_empty() {
                format!("`{text}` is not a range: the {which} end is missing; {shape}")
            } else {
                format!(
                    "`{text}` is not a range: its {which} end `{end}` is not a complete number (write 0.5, not .5 or 5.); {shape}"
                )
            });
        }
    }
    Ok((lo, hi))
}

#[cfg(test)]
mod tests {
    use super::split_range;

    #[test]
    fn ranges_with_two_complete_ends_are_read() {
        assert_eq!(split_range("0..1"), Ok(("0", "1")));
        assert_eq!(split_range("-5..-0.5"), Ok(("-5", "-0.5")));
        assert_eq!(split_range("1e-4..1e-1"), Ok(("1e-4", "1e-1")));
        assert_eq!(split_range(" 1/3 .. 2/3 "), Ok(("1/3", "2/3")));
        assert_eq!(split_range("+1..2E+3"), Ok(("+1", "2E+3")));
    }

    #[test]
    fn dots_that_are_not_exactly_two_are_refused() {
        for bad in [
            "0...1",
            "1e-4...1e-1",
            "0....1",
            "1..2..3",
            ".5..1",
            "0..",
            "..1",
            "1.5",
            "0..1.",
            "5...",
            "-..1",
            "0.. .5",
        ] {
            let e = split_range(bad).unwrap_err();
            assert!(e.contains(&format!("`{bad}`")), "{bad}: {e}");
        }
        assert!(split_range("0...1").unwrap_err().contains("three dots"));
    }
}
