/**
 * The data path's request pipeline: an ordered, immutable list of small {@link
 * org.atrium.gateway.pipeline.Stage}s over a typed {@link org.atrium.gateway.pipeline.Exchange}.
 * A stage continues or throws a {@link org.atrium.gateway.pipeline.Rejection} with a status and a
 * stable error code. The order follows the reference gateway (DESIGN.md §2).
 */
package org.atrium.gateway.pipeline;
