//! The OpenAPI document, generated from the handlers' annotations.

use axum::Router;
use axum::routing::get;
use utoipa::OpenApi;

use super::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "Switchboard API", description = "Citizen hotline operations centre: tickets, areas, reference data. Every operation's description names the roles that reach it."),
    paths(
        super::tickets::create, super::tickets::create_batch, super::tickets::list, super::tickets::nearby, super::tickets::read,
        super::tickets::events, super::tickets::transition, super::exports::export_csv, super::exports::export_xlsx,
        super::areas::list, super::areas::one,
        super::reference::categories, super::reference::units,
        super::session::login, super::session::me, super::session::logout,
        super::users::list, super::users::create, super::users::create_key,
        super::health::healthz, super::health::readyz, super::metrics::scrape,
        super::wall::config, super::wall::kpi_view, super::wall::map_tickets,
        super::stats::report, super::stats::trends, super::stats::report_csv, super::stats::report_xlsx, super::stats::staffing,
        super::stats::public_json, super::stats::public_csv,
        super::directions::issue, super::directions::list, super::directions::one, super::directions::acknowledge,
        super::directions::report, super::directions::for_ticket,
        super::public::track, super::public::rate, super::public::survey, super::public::results,
        super::reports::list, super::reports::preview, super::reports::one, super::reports::xlsx,
        super::reports::my_contact, super::reports::set_my_contact, super::reports::user_contact, super::reports::set_user_contact,
        super::extras::read,
        super::media::upload, super::media::publish, super::media::withdraw, super::media::serve,
        super::webhooks::receive, super::webhooks::verify,
        super::console::take_call, super::console::ticket_call, super::console::search_places, super::console::suggest,
        super::planning::at, super::planning::layers, super::planning::zones,
        super::procedures::list, super::procedures::fields, super::procedures::one, super::procedures::import,
        super::chat::say, super::chat::read, super::chat::queue, super::chat::transcript, super::chat::take,
        super::chat::reply, super::chat::release, super::press::file, super::press::list, super::press::figures, super::places::search,
        super::tiles::list, super::tiles::describe, super::tiles::tile, super::tiles::clear_cache,
        super::categories::suggest,
        super::desk::extension, super::desk::set_extension, super::desk::screen_pop, super::desk::history,
        super::desk::record, super::desk::list, super::desk::one, super::desk::callbacks, super::desk::act,
        super::desk::figures, super::pbx::receive, super::supporters::support, super::supporters::list, super::supporters::nearby,
        super::appointments::offices, super::appointments::slots, super::appointments::take_number, super::appointments::board,
        super::appointments::book, super::appointments::own, super::appointments::reschedule, super::appointments::cancel,
        super::appointments::own_number, super::appointments::survey,
        super::offices::list, super::offices::put_office, super::offices::close, super::offices::bookings, super::offices::queue,
        super::offices::check_in, super::offices::call_next, super::offices::finish, super::offices::book, super::offices::figures,
    ),
    components(schemas(crate::domain::Status, crate::domain::ActionKind, crate::domain::Channel, crate::domain::Priority)),
    tags((name = "tickets"), (name = "areas"), (name = "reference"), (name = "session"), (name = "users"), (name = "health"), (name = "wall"), (name = "stats"), (name = "directions"), (name = "reports"), (name = "public"), (name = "photos"), (name = "webhooks"), (name = "planning"), (name = "procedures"), (name = "chat"), (name = "press"), (name = "tiles"), (name = "desk"), (name = "appointments"))
)]
pub struct ApiDoc;

pub fn router() -> Router<AppState> {
    Router::new().route(
        "/api/v1/openapi.json",
        get(|| async {
            let mut doc = ApiDoc::openapi();
            doc.merge(super::cameras::CamerasDoc::openapi());
            axum::Json(doc)
        }),
    )
}
