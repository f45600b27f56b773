//! The `ronghe` command: serve, demo, gen.

mod config;

use anyhow::Context;
use clap::{Parser, Subcommand};
use config::Settings;
use ronghe_store::Store;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "ronghe", version, about = "融合：党建工作与业务工作一体化平台")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a fresh SQLite database with the demo data and serve it.
    Demo {
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        #[arg(long, default_value = "./demo-data")]
        data_dir: PathBuf,
    },
    /// Serve a real deployment (settings from --config and RONGHE_* variables).
    Serve {
        /// A file of RONGHE_*=value lines; the environment overrides it.
        #[arg(long, env = "RONGHE_CONFIG")]
        config: Option<PathBuf>,
    },
    /// Fill the database with a synthetic tree in national proportions.
    Gen {
        #[arg(long, env = "RONGHE_CONFIG")]
        config: Option<PathBuf>,
        /// small (≈250 organizations), county (≈5,000) or province (≈170,000 and 3.2 million members).
        #[arg(long, default_value = "small")]
        preset: String,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("RONGHE_LOG")
                .unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    match Cli::parse().command {
        Command::Demo { listen, data_dir } => demo(listen, data_dir).await,
        Command::Serve { config } => serve(Settings::load(config.as_deref())?).await,
        Command::Gen {
            config,
            preset,
            seed,
        } => gen(Settings::load(config.as_deref())?, &preset, seed).await,
    }
}

async fn demo(listen: SocketAddr, data_dir: PathBuf) -> anyhow::Result<()> {
    let db = data_dir.join("demo.db");
    std::fs::create_dir_all(&data_dir)
        .with_context(|| format!("cannot create {}", data_dir.display()))?;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    let store = Store::open(&format!("sqlite://{}", db.display()), &data_dir).await?;
    let summary = ronghe_store::demo::load(&store).await?;
    eprintln!("演示数据已生成：{summary:?}");
    eprintln!("演示账号（密码均为 Demo@2026）：admin anquan shenji dangwei xuexiao jiliang zhibu dangyuan");
    let config = ronghe_web::Config {
        secure_cookies: false,
        banner: Some("演示环境".into()),
    };
    ronghe_web::serve(store, config, listen, |addr| {
        eprintln!("融合已启动：http://{addr}/")
    })
    .await
}

async fn serve(s: Settings) -> anyhow::Result<()> {
    let store = Store::open(&s.database_url, &s.data_dir).await?;
    let created = store.bootstrap_admins().await?;
    if !created.is_empty() {
        eprintln!("首次启动：已创建三个管理员账号，以下一次性密码只显示这一次，首次登录必须修改：");
        for (u, p) in &created {
            eprintln!("  {u}  {p}");
        }
    }
    let config = ronghe_web::Config {
        secure_cookies: s.secure_cookies,
        banner: None,
    };
    ronghe_web::serve(store, config, s.listen, |addr| {
        eprintln!("融合已启动：http://{addr}/")
    })
    .await
}

async fn gen(s: Settings, preset: &str, seed: u64) -> anyhow::Result<()> {
    use ronghe_store::gen::{GenOptions, Preset};
    let preset = match preset {
        "small" => Preset::Small,
        "county" => Preset::County,
        "province" => Preset::Province,
        other => anyhow::bail!("未知的规模 {other}：可选 small、county、province"),
    };
    let store = Store::open(&s.database_url, &s.data_dir).await?;
    let bar = if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        let b = indicatif::ProgressBar::new(0);
        b.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {per_sec} 剩余 {eta}")
                .expect("template"),
        );
        Some(b)
    } else {
        None
    };
    let progress = |done: u64, total: u64| {
        if let Some(b) = &bar {
            b.set_length(total);
            b.set_position(done);
        }
    };
    let summary =
        ronghe_store::gen::generate(&store, &GenOptions { preset, seed }, &progress).await?;
    if let Some(b) = &bar {
        b.finish();
    }
    eprintln!("已生成：{summary:?}");
    Ok(())
}
