use sgdbounds::cli::{parse_from, run};

fn main() {
    match parse_from(std::env::args_os().collect()).and_then(run) {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    }
}
