package org.atrium.gateway.route;

/**
 * An engine's last scraped load, with the gateway's own call counters at that moment so calls
 * sent and finished since the scrape can correct it.
 *
 * @param kvFraction KV-cache use 0..1, or NaN when the engine does not report it
 */
record EngineLoad(int waiting, int running, double kvFraction, long atMillis, long startedAtScrape,
                  long finishedAtScrape) {
}
