// The planning overlay of the wall: the city's land-use zones from the `planning` vector tiles
// (`/tiles/planning`), coloured by land use, drawn under the districts' colours and the tickets.
// Off by default; the header's toggle turns it on and off, and the choice is kept in localStorage.

import type maplibregl from 'maplibre-gl';
import { LYR_DISTRICT_FILL, LYR_PLANNING, SRC_PLANNING, TILE_LAYER_PLANNING } from '../common/map/ids';
import { planningSource } from '../common/map/sources';
const KEY = 'switchboard.wall.planning';

/** Adds the source and the (hidden or shown) layer, and wires the `#planning-toggle` button. */
export function initPlanning(map: maplibregl.Map): void {
  const on = localStorage.getItem(KEY) === 'on';
  map.addSource(SRC_PLANNING, planningSource(location.origin));
  map.addLayer(
    {
      id: LYR_PLANNING,
      type: 'fill',
      source: SRC_PLANNING,
      'source-layer': TILE_LAYER_PLANNING,
      layout: { visibility: on ? 'visible' : 'none' },
      paint: { 'fill-color': ['get', 'colour'], 'fill-opacity': 0.55, 'fill-outline-color': '#ffffff' },
    },
    // Above the land and the district colours, below the tickets and the labels.
    map.getLayer(LYR_DISTRICT_FILL) ? nextLayer(map, LYR_DISTRICT_FILL) : undefined,
  );
  const button = document.getElementById('planning-toggle');
  if (!button) return;
  const show = (visible: boolean) => {
    map.setLayoutProperty(LYR_PLANNING, 'visibility', visible ? 'visible' : 'none');
    button.setAttribute('aria-pressed', String(visible));
    localStorage.setItem(KEY, visible ? 'on' : 'off');
  };
  button.setAttribute('aria-pressed', String(on));
  button.addEventListener('click', () => show(button.getAttribute('aria-pressed') !== 'true'));
}

/** The id of the layer drawn right after `id`, if any. */
function nextLayer(map: maplibregl.Map, id: string): string | undefined {
  const layers = map.getStyle().layers;
  const i = layers.findIndex((l) => l.id === id);
  return i >= 0 ? layers[i + 1]?.id : undefined;
}
