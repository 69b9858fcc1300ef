//! The emergency sheet (issue 15): one printable HTML page that tells a person (or whoever helps them
//! after a lost laptop) where the automatic backups are, how to restore them on a new machine, and
//! which accounts Tessera held (service, account, environment in words and colour, note), with the
//! date it was made. No keys.
//!
//! The "for a locked drawer" version ([`SheetKind::WithSecrets`]) also prints each account's enrolment
//! QR code (its canonical `otpauth://` URI, as a PNG in a `data:` URL) and its unused recovery codes.
//! That page is as good as the keys themselves: the shells put it behind a warning, the vault password
//! (when the vault has one) and the organisation's plain-export rule, and write it owner-only.
//!
//! [`render`] is a pure function of the accounts, the backup status and the time; every text from the
//! vault is escaped; the page has no script and a Content-Security-Policy that allows none, and loads
//! nothing from the network.

use crate::backup::auto::{self, Status};
use crate::time::{date_in_words, rfc3339};
use crate::vault::{Account, Environment, Vault};
use std::fmt::Write as _;
use zeroize::Zeroizing;

/// Which sheet to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetKind {
    /// Backups, restore steps, date and the account list: no keys, no recovery codes.
    Plain,
    /// As [`SheetKind::Plain`] plus each account's enrolment QR code and unused recovery codes.
    WithSecrets,
}

/// Why a sheet could not be made.
#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    #[error("the QR code for {account} cannot be made: {reason}")]
    Qr { account: String, reason: String },
}

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters (other than line breaks and tabs) have no business on paper.
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// The backup status as the sheet should describe it for `vault`: the recorded status (last verified
/// file) with the folder and number kept from the vault's own configuration, which is the truth.
pub fn backup_status_of(vault: &Vault) -> Status {
    let mut status = auto::read_status(vault.path());
    match vault.auto_backup() {
        Some(config) => {
            status.enabled = true;
            status.folder = Some(config.folder.clone());
            status.keep = config.keep;
        }
        None => status.enabled = false,
    }
    status
}

/// The sheet for an open vault, made at `now` (unix seconds).
pub fn for_vault(
    vault: &Vault,
    now: u64,
    kind: SheetKind,
) -> Result<Zeroizing<String>, SheetError> {
    render(vault.accounts(), &backup_status_of(vault), now, kind)
}

fn environment_badge(env: &Environment) -> String {
    match env {
        Environment::None => "<span class=\"env env-none\">none</span>".to_string(),
        Environment::Live => "<span class=\"env env-live\">● LIVE</span>".to_string(),
        Environment::Sandpit => {
            "<span class=\"env env-sandpit\">◇ SANDPIT (training)</span>".to_string()
        }
        Environment::Custom(name) => {
            format!("<span class=\"env env-custom\">{}</span>", escape(name))
        }
    }
}

fn or_dash(text: &str) -> String {
    if text.trim().is_empty() {
        "<span class=\"none\">—</span>".to_string()
    } else {
        escape(text.trim())
    }
}

const STYLE: &str = r#"
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: #111; background: #fff; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.7rem; margin: 0 0 0.2rem; }
h2 { font-size: 1.2rem; margin: 1.6rem 0 0.5rem; border-bottom: 2px solid #111; padding-bottom: 0.15rem; }
.made { margin: 0 0 1rem; color: #333; }
.warning { border: 3px solid #b00020; background: #fdecea; color: #5f0010; padding: 0.7rem 1rem; font-weight: 600; }
.off { border: 2px solid #8a6d00; background: #fff8e1; padding: 0.6rem 1rem; }
code, .path { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; overflow-wrap: anywhere; }
.path { font-weight: 700; }
ol.steps li { margin: 0.3rem 0; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; vertical-align: top; border: 1px solid #999; padding: 0.35rem 0.5rem; }
th { background: #eee; }
td.note { white-space: pre-wrap; overflow-wrap: anywhere; }
.none { color: #666; }
.env { display: inline-block; font-weight: 700; padding: 0.05em 0.5em; border-radius: 0.3em; white-space: nowrap; }
.env-live { background: #c62828; color: #fff; border: 2px solid #c62828; }
.env-sandpit { background: #ffd54f; color: #3e2c00; border: 2px dashed #8a6d00; }
.env-custom { background: #e3e8f0; color: #1b2a41; border: 2px solid #5a6b85; }
.env-none { color: #555; font-weight: 400; }
.card { border: 1px solid #777; padding: 0.8rem; margin: 0.8rem 0; display: flex; gap: 1.2rem; align-items: flex-start; }
.card img { width: 45mm; height: 45mm; image-rendering: pixelated; flex: none; }
.card h3 { margin: 0 0 0.3rem; font-size: 1.05rem; }
.codes { font-family: ui-monospace, Menlo, Consolas, monospace; columns: 2; padding-left: 1.4rem; }
footer { margin-top: 2rem; font-size: 0.85rem; color: #444; }
@page { margin: 15mm; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 11pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2 { break-after: avoid; }
  tr, .card, .warning, ol.steps { break-inside: avoid; }
  thead { display: table-header-group; }
}
"#;

/// The sheet as one self-contained HTML page. `backups` is what [`backup_status_of`] gives for the
/// vault; `now` is the time the sheet is made (unix seconds, shown as a UTC date).
pub fn render(
    accounts: &[Account],
    backups: &Status,
    now: u64,
    kind: SheetKind,
) -> Result<Zeroizing<String>, SheetError> {
    let secrets = kind == SheetKind::WithSecrets;
    let mut h = Zeroizing::new(String::with_capacity(8_192 + accounts.len() * 600));
    let title = if secrets {
        "Tessera emergency sheet — for a locked drawer"
    } else {
        "Tessera emergency sheet"
    };
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"robots\" content=\"noindex\">\n<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
    );
    let _ = writeln!(h, "<h1>{title}</h1>");
    let _ = writeln!(
        h,
        "<p class=\"made\">Made on <strong>{}</strong> (<time datetime=\"{stamp}\">{stamp}</time>). \
         Make a new one after adding or removing accounts.</p>",
        date_in_words(now),
        stamp = rfc3339(now)
    );
    if secrets {
        h.push_str(
            "<p class=\"warning\" role=\"alert\">This sheet holds the keys to your accounts. Anyone who \
             sees or photographs a QR code or recovery code below can make your sign-in codes. Keep the \
             printed copy in a locked drawer or safe, do not leave this file on a shared computer, and \
             shred old copies.</p>\n",
        );
    } else {
        h.push_str(
            "<p>This sheet holds no keys and no recovery codes: on its own it cannot sign in to anything. \
             It tells you where your backups are and how to bring your accounts back.</p>\n",
        );
    }

    // Where the backups are.
    h.push_str("<h2>1. Where your automatic backups are</h2>\n");
    match (&backups.folder, backups.enabled) {
        (Some(folder), true) => {
            let _ = writeln!(
                h,
                "<p>Tessera writes a verified, encrypted backup after every change into this folder \
                 (keeping the newest {}):</p>\n<p class=\"path\">{}</p>",
                backups.keep,
                escape(&folder.display().to_string())
            );
            let _ = writeln!(
                h,
                "<p>The files are named <code>tessera-backup-YYYYMMDD-HHMMSS.tessera</code> (date and \
                 time in UTC); the newest has the latest date in its name. They open only with the \
                 <strong>backup password</strong> chosen when automatic backups were turned on (Tessera \
                 never stores that password).</p>"
            );
        }
        _ => {
            h.push_str(
                "<p class=\"off\"><strong>Automatic backups are OFF.</strong> Turn them on in Tessera \
                 (Settings → Backups, or <code>tessera backup auto --folder DIR</code>) and choose a \
                 folder that another machine can reach (a sync folder or a network drive); then make \
                 this sheet again.</p>\n",
            );
        }
    }
    match (&backups.last_verified, &backups.last_file) {
        (Some(when), Some(file)) => {
            let _ = writeln!(
                h,
                "<p>Last verified backup: <span class=\"path\">{}</span>, {}{}.</p>",
                escape(&file.display().to_string()),
                escape(when),
                backups
                    .accounts
                    .map(|n| format!(", {n} account(s)"))
                    .unwrap_or_default()
            );
        }
        _ => h.push_str("<p>No automatic backup has been verified yet.</p>\n"),
    }
    if let Some(error) = &backups.last_error {
        let _ = writeln!(
            h,
            "<p class=\"off\"><strong>The last automatic backup failed:</strong> {}</p>",
            escape(error)
        );
    }

    // How to restore.
    h.push_str(
        "<h2>2. How to restore them on a new machine</h2>\n<ol class=\"steps\">\n\
         <li><strong>Install Tessera</strong> on the new machine and open it.</li>\n\
         <li>Choose <strong>Import</strong>, then the <strong>newest</strong> \
         <code>tessera-backup-*.tessera</code> file from the backup folder above (copy it from the \
         sync service or drive if needed).</li>\n\
         <li>Type the <strong>backup password</strong>. Your accounts, their environments, notes and \
         recovery codes come back; check the codes against a service before wiping the old machine.</li>\n\
         </ol>\n<p>On the command line: <code>tessera init</code> once, then \
         <code>tessera import FILE</code> with the newest backup as <code>FILE</code>; it asks for the \
         backup password (or reads it from <code>TESSERA_FILE_PASSWORD</code>).</p>\n",
    );
    if secrets {
        h.push_str(
            "<p>Without any backup, scan each QR code below with Tessera (Add → Scan QR code) or any \
             authenticator app; use a recovery code to sign in to a service when no code generator is \
             at hand.</p>\n",
        );
    }

    // The accounts.
    let _ = writeln!(h, "<h2>3. Your accounts ({})</h2>", accounts.len());
    if accounts.is_empty() {
        h.push_str("<p>There are no accounts in this vault.</p>\n");
    } else {
        h.push_str(
            "<table>\n<thead><tr><th scope=\"col\">#</th><th scope=\"col\">Service</th>\
             <th scope=\"col\">Account</th><th scope=\"col\">Environment</th><th scope=\"col\">Note</th>\
             </tr></thead>\n<tbody>\n",
        );
        for (i, a) in accounts.iter().enumerate() {
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"note\">{}</td></tr>",
                i + 1,
                or_dash(&a.issuer),
                or_dash(&a.account),
                environment_badge(&a.environment),
                or_dash(&a.note)
            );
        }
        h.push_str("</tbody>\n</table>\n");
    }

    if secrets && !accounts.is_empty() {
        h.push_str(
            "<h2>4. Enrolment QR codes and unused recovery codes</h2>\n<p class=\"warning\">Secret: \
             each QR code below sets up the account in an authenticator app.</p>\n",
        );
        let b64 = data_encoding::BASE64;
        for (i, a) in accounts.iter().enumerate() {
            let name = a.label();
            let uri = Zeroizing::new(crate::uri::to_uri(&a.to_entry()));
            let png = crate::formats::google::render_png(&uri).map_err(|e| SheetError::Qr {
                account: name.clone(),
                reason: e.to_string(),
            })?;
            let _ = write!(
                h,
                "<section class=\"card\">\n<img alt=\"QR code to enrol {alt}\" src=\"data:image/png;base64,",
                alt = escape(&name)
            );
            h.push_str(&Zeroizing::new(b64.encode(&png)));
            let _ = writeln!(
                h,
                "\">\n<div>\n<h3>{}. {} {}</h3>",
                i + 1,
                escape(&name),
                environment_badge(&a.environment)
            );
            let unused: Vec<&str> = a
                .recovery
                .codes
                .iter()
                .filter(|c| !c.is_used())
                .map(|c| c.code.as_str())
                .collect();
            let used = a.recovery.codes.len() - unused.len();
            if unused.is_empty() {
                if a.recovery.is_empty() {
                    h.push_str("<p>No recovery codes stored.</p>\n");
                } else {
                    h.push_str(
                        "<p>All recovery codes have been used; ask the service for new ones.</p>\n",
                    );
                }
            } else {
                let _ = writeln!(
                    h,
                    "<p>Unused recovery codes ({}{}); each works once:</p>\n<ol class=\"codes\">",
                    unused.len(),
                    if used > 0 {
                        format!("; {used} used, not printed")
                    } else {
                        String::new()
                    }
                );
                for code in unused {
                    let _ = writeln!(h, "<li>{}</li>", escape(code));
                }
                h.push_str("</ol>\n");
            }
            h.push_str("</div>\n</section>\n");
        }
    }

    h.push_str(
        "<footer>Made by Tessera. Keep this page somewhere you can find it when your computer is lost \
         or broken; make a new one when your accounts change.</footer>\n</body>\n</html>\n",
    );
    Ok(h)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::OtpParams;
    use crate::recovery::RecoveryCodes;
    use crate::secret::Secret;
    use crate::vault::NewAccount;
    use std::path::PathBuf;

    const KEY: &str = "JBSWY3DPEHPK3PXP";
    const OTHER_KEY: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    const NOW: u64 = 1_796_480_000; // 2026-12-05

    fn account(issuer: &str, name: &str, env: Environment, key: &str, note: &str) -> Account {
        Account::new(
            NewAccount {
                issuer: issuer.into(),
                account: name.into(),
                environment: env,
                secret: Secret::parse_base32(key).unwrap().0,
                params: OtpParams::default(),
                note: note.into(),
            },
            NOW - 100,
            0,
        )
    }

    fn accounts() -> Vec<Account> {
        let mut nhs = account("NHS Mail", "dr.who", Environment::Live, KEY, "");
        nhs.recovery = RecoveryCodes::from_codes(
            vec!["1111 2222".into(), "3333 4444".into(), "5555 6666".into()],
            NOW,
        );
        nhs.recovery.codes[1].used_at = Some(NOW - 10);
        vec![
            nhs,
            account(
                "<script>alert(1)</script>",
                "a&b",
                Environment::Sandpit,
                OTHER_KEY,
                "desk \"2\" <b>bold</b>",
            ),
            account("Rota", "", Environment::Custom("Ward <7>".into()), KEY, ""),
        ]
    }

    fn status_on() -> Status {
        Status {
            enabled: true,
            folder: Some(PathBuf::from("/home/dr/Sync/Tessera <backups>")),
            keep: 10,
            last_verified: Some("2026-12-05T09:00:00Z".into()),
            last_file: Some(PathBuf::from(
                "/home/dr/Sync/Tessera <backups>/tessera-backup-20261205-090000.tessera",
            )),
            accounts: Some(3),
            last_error: None,
            last_restore_test: None,
        }
    }

    #[test]
    fn escapes_every_text_from_the_vault() {
        let html = render(&accounts(), &status_on(), NOW, SheetKind::Plain).unwrap();
        assert!(!html.contains("<script"), "{}", *html);
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("a&amp;b"));
        assert!(html.contains("desk &quot;2&quot; &lt;b&gt;bold&lt;/b&gt;"));
        assert!(html.contains("Ward &lt;7&gt;"));
        assert!(html.contains("Tessera &lt;backups&gt;"));
        assert!(!html.contains("<b>bold"));
        // The page can run nothing.
        assert!(html.contains("default-src 'none'"));
        assert_eq!(escape("'&"), "&#39;&amp;");
    }

    #[test]
    fn plain_sheet_has_backups_steps_date_and_accounts_but_no_secret() {
        let html = render(&accounts(), &status_on(), NOW, SheetKind::Plain).unwrap();
        for key in [KEY, OTHER_KEY] {
            assert!(!html.contains(key), "key {key} on the plain sheet");
            assert!(!html.to_lowercase().contains(&key.to_lowercase()));
        }
        assert!(!html.contains("otpauth"));
        assert!(!html.contains("data:image"));
        for code in ["1111 2222", "3333 4444", "5555 6666"] {
            assert!(!html.contains(code));
        }
        assert!(html.contains("5 December 2026"));
        assert!(html.contains("2026-12-05T"));
        assert!(html.contains("/home/dr/Sync/Tessera &lt;backups&gt;"));
        assert!(html.contains("tessera-backup-20261205-090000.tessera"));
        assert!(html.contains("Install Tessera"));
        assert!(html.contains("<strong>Import</strong>"));
        assert!(html.contains("tessera-backup-*.tessera"));
        assert!(html.contains("backup password"));
        assert!(html.contains("tessera import FILE"));
        assert!(html.contains("NHS Mail") && html.contains("dr.who"));
        assert!(html.contains("env-live\">● LIVE"));
        assert!(html.contains("env-sandpit\">◇ SANDPIT"));
        assert!(html.contains("@media print"));
        assert!(html.contains("Your accounts (3)"));
    }

    #[test]
    fn backups_off_is_said_plainly() {
        let html = render(&accounts(), &Status::default(), NOW, SheetKind::Plain).unwrap();
        assert!(html.contains("Automatic backups are OFF"));
        assert!(html.contains("No automatic backup has been verified yet"));
        let mut failed = status_on();
        failed.last_error = Some("the folder <x> is gone".into());
        let html = render(&[], &failed, NOW, SheetKind::Plain).unwrap();
        assert!(html.contains("the folder &lt;x&gt; is gone"));
        assert!(html.contains("no accounts"));
    }

    fn png_sources(html: &str) -> Vec<Vec<u8>> {
        html.split("src=\"data:image/png;base64,")
            .skip(1)
            .map(|rest| {
                let b64 = &rest[..rest.find('"').unwrap()];
                data_encoding::BASE64.decode(b64.as_bytes()).unwrap()
            })
            .collect()
    }

    #[test]
    fn secret_sheet_has_qr_codes_that_decode_to_the_uri_and_unused_codes_only() {
        let list = accounts();
        let html = render(&list, &status_on(), NOW, SheetKind::WithSecrets).unwrap();
        assert!(html.contains("locked drawer"));
        assert!(html.contains("class=\"warning\""));
        assert!(!html.contains("<script"));
        let pngs = png_sources(&html);
        assert_eq!(pngs.len(), list.len());
        for (png, account) in pngs.iter().zip(&list) {
            let decoded = crate::qr::decode_image_bytes(png).unwrap();
            assert_eq!(decoded.len(), 1);
            let want = crate::uri::to_uri(&account.to_entry());
            assert_eq!(decoded[0].text, want);
            let back = crate::uri::parse(&decoded[0].text).unwrap();
            assert_eq!(back.secret, account.secret);
        }
        assert!(html.contains("1111 2222"));
        assert!(html.contains("5555 6666"));
        assert!(!html.contains("3333 4444"), "a used code was printed");
        assert!(html.contains("1 used, not printed"));
        assert!(html.contains("No recovery codes stored"));
    }
}
