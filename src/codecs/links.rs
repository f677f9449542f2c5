//! The `Link` header, parsed as httpx's `Response.links` does.

/// Each link as its `(key, value)` fields, `url` first.
pub(crate) fn parse_links(value: &str) -> Vec<Vec<(String, String)>> {
    let mut links = Vec::new();
    for part in split_links(value) {
        let mut fields = part.split(';');
        let Some(url) = fields.next() else { continue };
        let url = url
            .trim()
            .trim_matches(|c| c == '<' || c == '>' || c == ' ' || c == '\'' || c == '"');
        let mut link = vec![("url".to_owned(), url.to_owned())];
        for param in fields {
            if let Some((k, v)) = param.split_once('=') {
                let v = v.trim().trim_matches(|c| c == ' ' || c == '\'' || c == '"');
                link.push((k.trim().to_ascii_lowercase(), v.to_owned()));
            }
        }
        links.push(link);
    }
    links
}

/// Split a Link header on the commas between links (not those inside <...>).
pub(crate) fn split_links(value: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in value.char_indices() {
        match c {
            '<' => depth += 1,
            '>' => depth -= 1,
            ',' if depth <= 0 => {
                parts.push(&value[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&value[start..]);
    parts.into_iter().filter(|p| !p.trim().is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_split() {
        let links = parse_links("<http://a/?x=1,2>; rel=next, <http://b>; rel=\"last\"");
        assert_eq!(links.len(), 2);
        assert_eq!(links[1][1], ("rel".to_owned(), "last".to_owned()));
    }
}
