/**
 * The lockers directory's copy of place names (ADR 0038): one row per locker site that has
 * ever had a cabinet, so the directory searches, orders and pages by address in one query on
 * lockers' own tables. Written when a cabinet is registered at the site and kept current by
 * places' `place.renamed` event; places' tables stay the truth.
 */
export interface LockerSitePlaceTable {
  site_id: string;
  community_id: string;
  compound_id: string;
  building_id: string;
  unit_id: string | null;
  community_name: string;
  compound_name: string;
  building_name: string;
  unit_name: string | null;
  site_name: string;
}

export interface DirectoryTables {
  locker_site_places: LockerSitePlaceTable;
}
