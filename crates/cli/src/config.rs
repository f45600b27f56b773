//! Settings from a file of `RONGHE_*=value` lines, overridden by the environment.

use anyhow::{bail, Context};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

pub struct Settings {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    pub database_url: String,
    pub secure_cookies: bool,
}

impl Settings {
    pub fn load(file: Option<&Path>) -> anyhow::Result<Settings> {
        let mut vars = HashMap::new();
        if let Some(path) = file {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            for (n, line) in text.lines().enumerate() {
                let line = line.trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                let Some((k, v)) = line.split_once('=') else {
                    bail!("{}:{}: expected RONGHE_NAME=value", path.display(), n + 1);
                };
                vars.insert(k.trim().to_string(), v.trim().trim_matches('"').to_string());
            }
        }
        for (k, v) in std::env::vars().filter(|(k, _)| k.starts_with("RONGHE_")) {
            vars.insert(k, v);
        }
        let get = |k: &str| vars.get(k).cloned();
        let data_dir = PathBuf::from(get("RONGHE_DATA_DIR").unwrap_or_else(|| "./data".into()));
        let database_url = get("RONGHE_DATABASE_URL")
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("ronghe.db").display()));
        let listen = get("RONGHE_LISTEN").unwrap_or_else(|| "127.0.0.1:8080".into());
        Ok(Settings {
            listen: listen
                .parse()
                .with_context(|| format!("RONGHE_LISTEN={listen} is not an address"))?,
            data_dir,
            database_url,
            secure_cookies: matches!(
                get("RONGHE_SECURE_COOKIES").as_deref(),
                Some("1" | "true" | "yes")
            ),
        })
    }
}
