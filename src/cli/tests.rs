//! The command line's definition is consistent, and real command lines parse into the values
//! they say.

use std::path::Path;

use clap::{CommandFactory, Parser};

use super::accounts::UsersCommand;
use super::bench::BenchCommand;
use super::import::ImportCommand;
use super::{Cli, Command};

fn parse(line: &[&str]) -> Cli {
    Cli::try_parse_from(std::iter::once("switchboard").chain(line.iter().copied()))
        .unwrap_or_else(|e| panic!("{line:?}: {e}"))
}

#[test]
fn the_command_line_definition_is_consistent() {
    Cli::command().debug_assert();
}

#[test]
fn serve_demo_on_a_free_port() {
    let Command::Serve(args) = parse(&["serve", "--demo", "--listen", "127.0.0.1:0"]).command else {
        panic!("not serve")
    };
    assert!(args.demo);
    assert_eq!(args.listen, "127.0.0.1:0".parse().unwrap());
    assert_eq!(args.demo_tickets, 1500);
    let s = args.settings().unwrap();
    assert!(s.demo);
    assert_eq!(s.listen.port(), 0);
    assert_eq!(s.demo_tickets, 1500);
}

#[test]
fn serve_refuses_bad_flag_values_by_name() {
    let Command::Serve(args) = parse(&["serve", "--live-queue", "4"]).command else { panic!("not serve") };
    let e = args.settings().unwrap_err();
    assert!(e.to_string().contains("--live-queue"), "{e}");
    let Command::Serve(args) = parse(&["serve", "--wall-thresholds", "0.1"]).command else { panic!("not serve") };
    let e = args.settings().unwrap_err();
    assert!(e.to_string().contains("--wall-thresholds"), "{e}");
}

#[test]
fn users_add_a_leader_of_two_areas() {
    let cli = parse(&["users", "add", "lan", "--role", "leader", "--area", "HC", "--area", "TK", "--city-code", "HN"]);
    let Command::Users { command: UsersCommand::Add { name, role, areas, units, offices, display_name, db } } =
        cli.command
    else {
        panic!("not users add")
    };
    assert_eq!((name.as_str(), role.as_str()), ("lan", "leader"));
    assert_eq!(areas, ["HC", "TK"]);
    assert!(units.is_empty() && offices.is_empty() && display_name.is_none());
    assert_eq!(db.settings().unwrap().city_code, "HN");
}

#[test]
fn users_add_a_clerk_of_an_office() {
    let cli = parse(&["users", "add", "mai", "--role", "clerk", "--office", "DN-HCC"]);
    let Command::Users { command: UsersCommand::Add { role, offices, .. } } = cli.command else {
        panic!("not users add")
    };
    assert_eq!((role.as_str(), offices), ("clerk", vec!["DN-HCC".to_owned()]));
}

#[test]
fn import_planning_with_its_layer_and_field_names() {
    let cli = parse(&[
        "import",
        "planning",
        "zones.gpkg",
        "--layer",
        "DN-QHPK-TT",
        "--field",
        "land_use=LOAI_DAT",
        "--table",
        "zones",
    ]);
    let Command::Import { command: ImportCommand::Planning { file, flags, .. } } = cli.command else {
        panic!("not import planning")
    };
    assert_eq!(file, Path::new("zones.gpkg"));
    assert_eq!(flags.layer.as_deref(), Some("DN-QHPK-TT"));
    assert_eq!(flags.fields, ["land_use=LOAI_DAT"]);
    let options = flags.options().unwrap();
    assert_eq!(options.layer.code.as_deref(), Some("DN-QHPK-TT"));
    assert_eq!(options.table.as_deref(), Some("zones"));
}

#[test]
fn import_areas_needs_its_fields_and_seed_needs_demo() {
    let cli = parse(&["import", "areas", "wards.geojson", "--level", "ward", "--code-field", "C", "--name-field", "N"]);
    let Command::Import { command: ImportCommand::Areas { file, level, code_field, name_field, .. } } = cli.command
    else {
        panic!("not import areas")
    };
    assert_eq!(file, Path::new("wards.geojson"));
    assert_eq!((level.as_str(), code_field.as_str(), name_field.as_str()), ("ward", "C", "N"));
    assert!(Cli::try_parse_from(["switchboard", "import", "areas", "wards.geojson", "--level", "ward"]).is_err());
    assert!(Cli::try_parse_from(["switchboard", "seed", "--tickets", "10"]).is_err());
}

#[test]
fn bench_live_takes_a_user_or_an_api_key_not_both() {
    let cli = parse(&["bench", "live", "--clients", "10", "--rate", "2.5", "--api-key", "k", "--json"]);
    let Command::Bench { command: BenchCommand::Live(b) } = cli.command else { panic!("not bench live") };
    assert_eq!((b.clients, b.rate, b.staff.api_key.as_deref(), b.json), (10, 2.5, Some("k"), true));
    assert!(Cli::try_parse_from(["switchboard", "bench", "live", "--user", "u", "--api-key", "k"]).is_err());
}
