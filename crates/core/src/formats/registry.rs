//! The one list of import formats. Everything that names or dispatches on a format reads this table:
//! `--format` names and aliases, the app's format picker (`import_formats`), detection, "does it need a
//! password?", reading, and the one `import_any` fuzz target. Adding a format = its module, a
//! [`FormatId`] variant and one row here (plus its place in [`DETECTION_ORDER`]).

use super::*;

/// One importable format.
pub struct Format {
    pub id: FormatId,
    /// The `--format` name (and the app's value).
    pub name: &'static str,
    /// The app's name as people know it ("Aegis", "Tessera backup").
    pub display_name: &'static str,
    /// How the app's format picker describes it ("Bitwarden (JSON or CSV)").
    pub picker_label: &'static str,
    /// Whether files of this format can be password-protected.
    pub encryptable: bool,
    sniff: fn(&[u8]) -> bool,
    needs_password: fn(&[u8]) -> bool,
    read: fn(&[u8], Option<&str>) -> Result<ImportResult, FormatError>,
}

const fn row<I: Importer>(
    name: &'static str,
    display_name: &'static str,
    picker_label: &'static str,
    needs_password: fn(&[u8]) -> bool,
) -> Format {
    Format {
        id: I::ID,
        name,
        display_name,
        picker_label,
        encryptable: I::ENCRYPTABLE,
        sniff: I::sniff,
        needs_password,
        read: I::import,
    }
}

fn never(_: &[u8]) -> bool {
    false
}

/// Every format, in the order the app lists them.
pub static FORMATS: [Format; 11] = [
    row::<tessera::TesseraBackup>("tessera", "Tessera backup", "Tessera backup", |_| true),
    row::<aegis::Aegis>("aegis", "Aegis", "Aegis", aegis::is_encrypted),
    row::<twofas::TwoFas>("2fas", "2FAS", "2FAS", twofas::is_encrypted),
    row::<google::Google>(
        "google",
        "Google Authenticator export",
        "Google Authenticator (otpauth-migration links)",
        never,
    ),
    row::<uris::Uris>("uris", "otpauth URI list", "otpauth:// link list", never),
    row::<bitwarden::Bitwarden>("bitwarden", "Bitwarden", "Bitwarden (JSON or CSV)", never),
    row::<ente::Ente>(
        "ente",
        "Ente Auth",
        "Ente Auth (plain or encrypted)",
        ente::is_encrypted,
    ),
    // The old andOTP layout has no header: any file of this format that is not JSON is encrypted.
    row::<andotp::AndOtp>("andotp", "andOTP", "andOTP", |b| {
        !common::looks_like_json(b)
    }),
    row::<proton::Proton>(
        "proton",
        "Proton Authenticator",
        "Proton Authenticator",
        proton::is_encrypted,
    ),
    row::<freeotp_plus::FreeOtpPlus>("freeotp-plus", "FreeOTP+", "FreeOTP+", never),
    row::<stratum::Stratum>(
        "stratum",
        "Authenticator Pro / Stratum",
        "Authenticator Pro / Stratum",
        stratum::is_encrypted,
    ),
];

/// The order detection asks the formats: specific shapes before general ones (a Stratum file is also
/// JSON with entries; anything with an otpauth:// line would pass as a URI list).
pub const DETECTION_ORDER: [FormatId; 11] = [
    FormatId::Tessera,
    FormatId::Stratum,
    FormatId::Aegis,
    FormatId::TwoFas,
    FormatId::FreeOtpPlus,
    FormatId::Proton,
    FormatId::Bitwarden,
    FormatId::AndOtp,
    FormatId::Google,
    FormatId::Ente,
    FormatId::Uris,
];

impl FormatId {
    /// This format's row of [`FORMATS`].
    pub fn info(self) -> &'static Format {
        FORMATS
            .iter()
            .find(|f| f.id == self)
            .expect("every FormatId has a row in FORMATS")
    }
}

impl Format {
    pub(super) fn sniff(&self, bytes: &[u8]) -> bool {
        (self.sniff)(bytes)
    }
    pub(super) fn needs_password(&self, bytes: &[u8]) -> bool {
        (self.needs_password)(bytes)
    }
    pub(super) fn read(
        &self,
        bytes: &[u8],
        password: Option<&str>,
    ) -> Result<ImportResult, FormatError> {
        (self.read)(bytes, password)
    }
}

/// "aegis, 2fas, google, …" for messages.
pub fn format_names() -> String {
    FORMATS
        .iter()
        .map(|f| f.name)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_has_one_row_and_one_place_in_detection() {
        for id in FormatId::ALL {
            assert_eq!(FORMATS.iter().filter(|f| f.id == id).count(), 1, "{id:?}");
            assert_eq!(
                DETECTION_ORDER.iter().filter(|&&d| d == id).count(),
                1,
                "{id:?}"
            );
        }
        let names: std::collections::HashSet<_> = FORMATS.iter().map(|f| f.name).collect();
        assert_eq!(names.len(), FORMATS.len(), "names are unique");
    }
}
