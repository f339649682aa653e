//! Opens the designer: `cargo run --example designer [FILE]`.

fn main() {
    let path = std::env::args_os().nth(1).map(std::path::PathBuf::from);
    if let Err(e) = statewright::ui::run_designer(path) {
        eprintln!("statewright: {e}");
        std::process::exit(1);
    }
}
