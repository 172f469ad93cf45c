package org.apotheca.server;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.apotheca.net4j.db.derby.DerbyAdapter;
import org.apotheca.net4j.db.derby.DerbyDatabase;
import org.eclipse.emf.cdo.server.CDOServerUtil;
import org.eclipse.emf.cdo.server.IRepository;
import org.eclipse.emf.cdo.server.db.CDODBUtil;
import org.eclipse.emf.cdo.server.db.IDBStore;
import org.eclipse.emf.cdo.server.db.mapping.IMappingStrategy;
import org.eclipse.emf.cdo.spi.server.InternalRepository;
import org.eclipse.emf.ecore.EPackage;
import org.eclipse.net4j.db.IDBConnectionProvider;

/**
 * Creates CDO repositories on a DBStore over embedded Derby, one Derby database directory per repository.
 * The settings are the ones offline clones need from their master: audits, branches and client-side
 * (UUID) object ids; tables are created eagerly because raw replication fails on classes without a table.
 */
final class DerbyRepositoryFactory {

  private DerbyRepositoryFactory() {
  }

  static IRepository create(String name, Path databaseDir, EPackage... packages) {
    IMappingStrategy mapping = CDODBUtil.createHorizontalMappingStrategy(true, true, true);
    Map<String, String> mappingProps = new HashMap<>();
    mappingProps.put(IMappingStrategy.Props.EAGER_TABLE_CREATION, "true");
    mapping.setProperties(mappingProps);

    IDBConnectionProvider connections = DerbyDatabase.connectionProvider(databaseDir);
    IDBStore store = CDODBUtil.createStore(mapping, new DerbyAdapter(), connections);

    Map<String, String> props = new HashMap<>();
    props.put(IRepository.Props.SUPPORTING_AUDITS, "true");
    props.put(IRepository.Props.SUPPORTING_BRANCHES, "true");
    props.put(IRepository.Props.ID_GENERATION_LOCATION, "CLIENT");
    props.put(IRepository.Props.OVERRIDE_UUID, name);
    IRepository repository = CDOServerUtil.createRepository(name, store, props);
    // Clones refuse packages added later by a client commit: the model is known from the first start.
    ((InternalRepository) repository).setInitialPackages(packages);
    return repository;
  }
}
