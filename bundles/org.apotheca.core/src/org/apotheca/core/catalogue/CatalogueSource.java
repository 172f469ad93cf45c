package org.apotheca.core.catalogue;

import java.util.List;

/** Read access to the shared catalogue, wherever it lives (central server now, the pharmacy's clone later). */
public interface CatalogueSource extends AutoCloseable {

  /** Up to {@code max} products ordered by name; blocks on the network, never call it on the UI thread. */
  List<CatalogueRow> products(int max);

  /** Total number of products in the catalogue. */
  int productCount();

  /** Where the data comes from, for the status line ("central 127.0.0.1:2036"). */
  String describe();

  @Override
  void close();
}
