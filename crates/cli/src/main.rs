//! The `ronghe` command: serve, demo, gen.

mod config;
mod report;
mod search_bench;

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
    /// Fill the database with a synthetic tree in national proportions, and optionally a year
    /// of plans, tasks and meetings for it.
    #[command(after_help = GEN_EXAMPLES)]
    Gen {
        #[arg(long, env = "RONGHE_CONFIG")]
        config: Option<PathBuf>,
        /// small (≈250 organizations), county (≈5,000) or province (≈170,000 and 3.2 million members).
        #[arg(long, default_value = "small")]
        preset: String,
        /// Seed of the random generator: the same seed on the same database gives the same data.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// After the tree, add a year of plans (goals, KPI values, Party work items, links,
        /// tasks) for every 党支部, 党总支 and 党委 without a plan for that year, and the year's
        /// meetings of every 党支部, as of today (a past year is complete, a future one only
        /// planned).
        #[arg(long, value_name = "YYYY")]
        year: Option<i32>,
        /// Do not generate a tree: only add the year (--year) to the organizations already in
        /// the database (a tree generated before, or real ones).
        #[arg(long, requires = "year")]
        skip_tree: bool,
        /// Only add N generated cases to the library (varied Chinese typical experiences with
        /// an attachment each, published to the whole deployment), spread over the branches
        /// already in the database: the search benchmark's corpus.
        #[arg(long, value_name = "N", conflicts_with_all = ["year", "skip_tree"])]
        cases: Option<u64>,
    },
    /// Rebuild this instance's search index of the case library from the database (run it
    /// with the server stopped; a server also rebuilds at start when its index disagrees).
    Reindex {
        #[arg(long, env = "RONGHE_CONFIG")]
        config: Option<PathBuf>,
    },
    /// Reports computed from the records, printed with the time they took.
    Report {
        #[arg(long, env = "RONGHE_CONFIG")]
        config: Option<PathBuf>,
        #[command(subcommand)]
        what: ReportKind,
    },
}

#[derive(Subcommand)]
enum ReportKind {
    /// The case library's search against SQLite FTS5 (trigram) on a generated corpus:
    /// indexing throughput, precision at 10 on the judged queries, latency under load.
    Search {
        #[arg(long, default_value_t = 100_000)]
        cases: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long, default_value_t = 16)]
        clients: usize,
        /// Passes over the judged queries by each client.
        #[arg(long, default_value_t = 20)]
        rounds: usize,
        #[arg(long, default_value = "bench/search_queries.tsv")]
        queries: PathBuf,
        /// Where the two indexes are built (emptied first).
        #[arg(long, default_value = "./search-bench")]
        dir: PathBuf,
    },
    /// Organizational-life compliance of every 党支部 for a year.
    Compliance {
        #[arg(long, value_name = "YYYY")]
        year: Option<i32>,
    },
    /// A whole evaluation run (同步考核) of the largest subtree, beside the bare aggregate of
    /// the same rows, and re-scoring one branch; with `--store` the run is saved.
    Evaluation {
        #[arg(long, value_name = "YYYY")]
        year: Option<i32>,
        /// The committee whose subtree is evaluated (default: the largest root).
        #[arg(long)]
        org: Option<i64>,
        #[arg(long)]
        store: bool,
    },
}

/// mimalloc: the server allocates many small rows and strings on two threads and more; it
/// measured ~10% of the CPU in glibc malloc at load.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    // Bulk commands run statements that are slow by nature (the province in one pass); sqlx's
    // slow-statement warning would print each one whole. The server keeps the warning.
    let default_filter = match cli.command {
        Command::Gen { .. } | Command::Report { .. } => "info,sqlx::query=error",
        _ => "info",
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("RONGHE_LOG")
                .unwrap_or_else(|_| default_filter.into()),
        )
        .with_writer(std::io::stderr)
        .init();
    match cli.command {
        Command::Demo { listen, data_dir } => demo(listen, data_dir).await,
        Command::Serve { config } => serve(Settings::load(config.as_deref())?).await,
        Command::Gen {
            config,
            preset,
            seed,
            year,
            skip_tree,
            cases,
        } => {
            let s = Settings::load(config.as_deref())?;
            match cases {
                Some(n) => gen_cases(s, n, seed).await,
                None => gen(s, &preset, seed, year, skip_tree).await,
            }
        }
        Command::Reindex { config } => {
            let s = Settings::load(config.as_deref())?;
            reindex(&s).await
        }
        Command::Report {
            what:
                ReportKind::Search {
                    cases,
                    seed,
                    clients,
                    rounds,
                    queries,
                    dir,
                },
            ..
        } => search_bench::run(cases, seed, clients, rounds, &queries, &dir),
        Command::Report { config, what } => {
            let s = Settings::load(config.as_deref())?;
            let store = Store::open(&s.database_url, &s.data_dir).await?;
            let today = ronghe_store::today();
            match what {
                ReportKind::Compliance { year } => {
                    report::compliance_report(&store, year.unwrap_or(chrono_year(today)), today)
                        .await
                }
                ReportKind::Search { .. } => unreachable!("handled above"),
                ReportKind::Evaluation {
                    year,
                    org,
                    store: save,
                } => {
                    let year = year.unwrap_or(chrono_year(today));
                    report::evaluation_report(&store, year, org, save, today).await
                }
            }
        }
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
    let summary = ronghe_demo::load(&store).await?;
    eprintln!("演示数据已生成：{summary:?}");
    eprintln!("演示账号（密码均为 Demo@2026）：admin anquan shenji dangwei xuexiao jiliang zhibu dangyuan");
    let index_dir = data_dir.join("index");
    let _ = std::fs::remove_dir_all(&index_dir);
    let config = ronghe_web::Config {
        secure_cookies: false,
        banner: Some("演示环境".into()),
        index_dir: Some(index_dir),
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
        index_dir: Some(s.data_dir.join("index")),
    };
    ronghe_web::serve(store, config, s.listen, |addr| {
        eprintln!("融合已启动：http://{addr}/")
    })
    .await
}

async fn gen_cases(s: Settings, n: u64, seed: u64) -> anyhow::Result<()> {
    let store = Store::open(&s.database_url, &s.data_dir).await?;
    let started = std::time::Instant::now();
    let (first, last) = ronghe_demo::gen_cases::generate(&store, n, seed, &|done, total| {
        eprintln!("  案例 {done}/{total}");
    })
    .await?;
    eprintln!(
        "已生成 {n} 篇案例（{first} 至 {last}），用时 {:.1} 秒；运行中的实例会在几秒内检索到它们",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn reindex(s: &Settings) -> anyhow::Result<()> {
    let store = Store::open(&s.database_url, &s.data_dir).await?;
    let started = std::time::Instant::now();
    let follower =
        ronghe_web::library_search::SearchFollower::open(Some(&s.data_dir.join("index")))?;
    let n = follower.rebuild(&store).await?;
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "案例检索索引已重建：{n} 篇已发布案例，用时 {secs:.1} 秒（{:.0} 篇/秒）",
        n as f64 / secs.max(1e-9)
    );
    Ok(())
}

const GEN_EXAMPLES: &str = "\
Examples:
  ronghe gen --preset province                     a province: organizations, members, committees
  ronghe gen --preset province --year 2026         the same, then a year of plans and meetings
  ronghe gen --year 2026 --skip-tree               only the year, for the organizations already there

The year gives every 党支部, 党总支 and 党委 without a plan for it one plan (3–6 business goals
with a KPI each, monthly KPI values for the finished months, 2–5 Party work items, most linked
to a goal, 3–8 tasks), and every 党支部 its meetings up to today (党员大会 quarterly, 支委会
monthly where there is a committee, 主题党日 monthly, 党课, 组织生活会, 民主评议党员, 谈心谈话;
about one branch in ten with gaps). Organizations that already have a plan for the year, such
as the demo's, are left alone. Nothing else should write to the database while gen runs.";

async fn gen(
    s: Settings,
    preset: &str,
    seed: u64,
    year: Option<i32>,
    skip_tree: bool,
) -> anyhow::Result<()> {
    use ronghe_demo::gen::{GenOptions, Preset};
    let preset = match preset {
        "small" => Preset::Small,
        "county" => Preset::County,
        "province" => Preset::Province,
        other => anyhow::bail!("未知的规模 {other}：可选 small、county、province"),
    };
    if let Some(y) = year {
        if !(2000..=2100).contains(&y) {
            anyhow::bail!("年度 {y} 无效：应为 2000 到 2100 之间的四位年份");
        }
    }
    let store = Store::open(&s.database_url, &s.data_dir).await?;
    let bar = |label: &str| {
        std::io::IsTerminal::is_terminal(&std::io::stderr()).then(|| {
            let b = indicatif::ProgressBar::new(0);
            let template = format!("{label} {{bar:40}} {{pos}}/{{len}} {{per_sec}} 剩余 {{eta}}");
            b.set_style(indicatif::ProgressStyle::with_template(&template).expect("template"));
            b
        })
    };
    let progress_of = |bar: &Option<indicatif::ProgressBar>| {
        let bar = bar.clone();
        move |done: u64, total: u64| {
            if let Some(b) = &bar {
                b.set_length(total);
                b.set_position(done);
            }
        }
    };
    if !skip_tree {
        let b = bar("组织和党员");
        let summary =
            ronghe_demo::gen::generate(&store, &GenOptions { preset, seed }, &progress_of(&b))
                .await?;
        if let Some(b) = &b {
            b.finish();
        }
        eprintln!("已生成：{summary:?}");
    }
    if let Some(year) = year {
        let b = bar(&format!("{year} 年度计划和会议"));
        let summary =
            ronghe_demo::gen_year::generate_year(&store, year, seed, &progress_of(&b)).await?;
        if let Some(b) = &b {
            b.finish();
        }
        eprintln!("已生成 {year} 年度：{summary:?}");
    }
    store.close().await;
    Ok(())
}

fn chrono_year(d: ronghe_core::Date) -> i32 {
    d.format("%Y").to_string().parse().unwrap_or(2026)
}
