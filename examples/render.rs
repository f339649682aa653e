//! Renders ASL files to pictures until the CLI is wired: `cargo run --no-default-features --example render -- IN OUT.svg|OUT.png ...`
//! (pairs of input and output paths).

fn main() {
    let args: Vec<std::path::PathBuf> = std::env::args_os().skip(1).map(Into::into).collect();
    if args.is_empty() || !args.len().is_multiple_of(2) {
        eprintln!("usage: render IN OUT.svg|OUT.png [IN OUT ...]");
        std::process::exit(2);
    }
    for pair in args.chunks(2) {
        if let Err(e) = statewright::render::render_cmd(&pair[0], &pair[1], None) {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
