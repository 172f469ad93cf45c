package org.apotheca.sync;

import java.util.function.BooleanSupplier;

import org.eclipse.emf.cdo.internal.server.syncing.RepositorySynchronizer;

/**
 * A clone's synchronizer that decides at every (re)connect whether to replicate raw. CDO fixes the choice for the
 * synchronizer's whole life ({@code setRawReplication} only before activation), but a site clone must replicate raw
 * to be built and must not once it is: a raw import over commits the clone already holds stops on a duplicate key.
 */
final class Synchronizer extends RepositorySynchronizer {

  private final BooleanSupplier raw;

  Synchronizer(BooleanSupplier raw) {
    this.raw = raw;
  }

  @Override
  public boolean isRawReplication() {
    return raw.getAsBoolean();
  }
}
