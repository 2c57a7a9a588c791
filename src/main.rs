fn main() -> std::process::ExitCode {
    review_replay::run(std::env::args_os())
}
