//! `dorsum serve`: the JSON API (crate `dorsum-web`) on a multi-threaded runtime, until SIGTERM or Ctrl-C.

use anyhow::{Context, Result};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address and port to listen on; port 0 picks a free port (the real one is printed).
    #[arg(long, value_name = "ADDR:PORT", default_value = dorsum_web::DEFAULT_BIND)]
    pub bind: SocketAddr,
    /// Allow a non-loopback address. There are no accounts yet: anyone who can reach it can read the diary.
    #[arg(long)]
    pub allow_remote: bool,
    /// The clinic's care routing (services per triage level); otherwise DORSUM_CARE, else the default route.
    #[arg(long, value_name = "FILE")]
    pub care: Option<PathBuf>,
}

pub fn run(
    args: ServeArgs,
    db: Option<&str>,
    kb_dir: Option<&std::path::Path>,
) -> Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the server runtime")?;
    runtime.block_on(async {
        dorsum_web::init_logging();
        let config = dorsum_web::Config {
            bind: args.bind,
            allow_remote: args.allow_remote,
            kb_dir: kb_dir.map(PathBuf::from),
            db: db.map(str::to_string),
            care: args.care,
            ..dorsum_web::Config::default()
        };
        let server = dorsum_web::Server::bind(config).await?;
        let addr = server.local_addr()?;
        if !addr.ip().is_loopback() {
            eprintln!(
                "dorsum: WARNING: listening on {addr}, which is reachable from other machines. There are no accounts yet: anyone who can reach it can read and delete the diary. Put it behind TLS and access control."
            );
        }
        for line in dorsum_web::care::summary(&server.state().dorsum) {
            eprintln!("dorsum: {line}");
        }
        eprintln!("dorsum: data store {}", server.state().store_location);
        println!("dorsum: listening on http://{addr}");
        use std::io::Write;
        let _ = std::io::stdout().flush();
        server.run(dorsum_web::shutdown_signal()).await?;
        eprintln!("dorsum: stopped");
        Ok(ExitCode::SUCCESS)
    })
}
