//! `cargo run --example generate -- chain|workflow N`: prints a generated workflow of exactly N states (the
//! generators the benches use, `benches/support/generate.rs`), for `benches/scale.sh` and for profiling.

#[path = "../benches/support/generate.rs"]
mod generate;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: generate chain|workflow N";
    let (kind, n) = match args.as_slice() {
        [kind, n] => (kind.as_str(), n.parse::<usize>().ok().filter(|&n| n >= 2)),
        _ => ("", None),
    };
    let text = match (kind, n) {
        ("chain", Some(n)) => generate::linear_chain(n),
        ("workflow", Some(n)) if n >= 3 => generate::workflow(n),
        _ => {
            eprintln!("{usage} (N ≥ 2; workflow: N ≥ 3)");
            std::process::exit(2);
        }
    };
    println!("{text}");
}
