package org.apotheca.core.store;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.apotheca.net4j.db.derby.DerbyAdapter;
import org.apotheca.net4j.db.derby.DerbyDatabase;
import org.eclipse.emf.cdo.server.IRepository;
import org.eclipse.emf.cdo.server.db.CDODBUtil;
import org.eclipse.emf.cdo.server.db.IDBStore;
import org.eclipse.emf.cdo.server.db.mapping.IMappingStrategy;

/**
 * The one definition of how an Apotheca CDO repository is stored, used by central's repositories and by the
 * pharmacy node's clones alike: a clone must be stored exactly like its master.
 * <p>
 * A DBStore on embedded Derby (one database directory per repository) with audits, branches and ranged lists;
 * tables created eagerly because raw replication fails on classes without a table; client-side (UUID) object ids,
 * which offline clones require so that offline creation never collides.
 */
public final class DerbyStores {

  private DerbyStores() {
  }

  public static IDBStore store(Path databaseDir) {
    IMappingStrategy mapping = CDODBUtil.createHorizontalMappingStrategy(true, true, true);
    Map<String, String> mappingProps = new HashMap<>();
    mappingProps.put(IMappingStrategy.Props.EAGER_TABLE_CREATION, "true");
    mapping.setProperties(mappingProps);
    return CDODBUtil.createStore(mapping, new DerbyAdapter(), DerbyDatabase.connectionProvider(databaseDir));
  }

  /** @param name the repository name, also its UUID so that clones and logs name it the same everywhere */
  public static Map<String, String> repositoryProperties(String name) {
    Map<String, String> props = new HashMap<>();
    props.put(IRepository.Props.SUPPORTING_AUDITS, "true");
    props.put(IRepository.Props.SUPPORTING_BRANCHES, "true");
    props.put(IRepository.Props.ID_GENERATION_LOCATION, "CLIENT");
    props.put(IRepository.Props.OVERRIDE_UUID, name);
    return props;
  }
}
