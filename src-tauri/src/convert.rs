//! Between the core's vault types and the IPC shapes.

use crate::dto::{AccountView, EnvironmentDto, TrashedView};
use tessera_core::vault::{Account, Environment, TrashedAccount};
use uuid::Uuid;

pub fn environment_to_dto(e: &Environment) -> EnvironmentDto {
    match e {
        Environment::None => EnvironmentDto::none(),
        Environment::Live => EnvironmentDto {
            kind: "live".into(),
            name: None,
        },
        Environment::Sandpit => EnvironmentDto {
            kind: "sandpit".into(),
            name: None,
        },
        Environment::Custom(name) => EnvironmentDto {
            kind: "custom".into(),
            name: Some(name.clone()),
        },
    }
}

pub fn environment_from_dto(e: &EnvironmentDto) -> Result<Environment, String> {
    match e.kind.as_str() {
        "none" | "" => Ok(Environment::None),
        "live" => Ok(Environment::Live),
        "sandpit" => Ok(Environment::Sandpit),
        "custom" => {
            let name = e.name.as_deref().unwrap_or("").trim();
            if name.is_empty() {
                return Err("give the environment a name, or choose Live or Sandpit".into());
            }
            // "live" typed as a custom name is the Live environment.
            Ok(Environment::parse(name))
        }
        other => Err(format!("unknown environment {other:?}")),
    }
}

pub fn account_view(a: &Account) -> AccountView {
    AccountView {
        id: a.id.to_string(),
        issuer: a.issuer.clone(),
        account: a.account.clone(),
        environment: environment_to_dto(&a.environment),
        note: a.note.clone(),
        kind: a.params.kind.as_str().to_string(),
        digits: a.params.digits,
        period: a.params.period,
        favourite: a.favourite,
        counter: a.params.counter,
    }
}

pub fn trashed_view(t: &TrashedAccount) -> TrashedView {
    TrashedView {
        id: t.account.id.to_string(),
        issuer: t.account.issuer.clone(),
        account: t.account.account.clone(),
        environment: environment_to_dto(&t.account.environment),
        deleted_at_ms: Some(t.trashed_at.saturating_mul(1000)),
    }
}

pub fn parse_id(id: &str) -> Result<Uuid, String> {
    Uuid::parse_str(id.trim()).map_err(|_| format!("{id:?} is not an account id"))
}
