package org.apotheca.server;

import java.nio.file.Path;

import org.apotheca.core.store.DerbyStores;
import org.eclipse.emf.cdo.server.CDOServerUtil;
import org.eclipse.emf.cdo.server.IRepository;
import org.eclipse.emf.cdo.spi.server.InternalRepository;
import org.eclipse.emf.ecore.EPackage;

/**
 * Creates CDO repositories on a DBStore over embedded Derby, one Derby database directory per repository.
 * The settings are the ones offline clones need from their master: audits, branches and client-side
 * (UUID) object ids; tables are created eagerly because raw replication fails on classes without a table.
 */
final class DerbyRepositoryFactory {

  private DerbyRepositoryFactory() {
  }

  static IRepository create(String name, Path databaseDir, EPackage... packages) {
    IRepository repository = CDOServerUtil.createRepository(name, DerbyStores.store(databaseDir), DerbyStores.repositoryProperties(name));
    // Clones refuse packages added later by a client commit: the model is known from the first start.
    ((InternalRepository) repository).setInitialPackages(packages);
    return repository;
  }
}
