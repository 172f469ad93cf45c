package org.apotheca.releng.codegen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.eclipse.emf.codegen.ecore.generator.Generator;
import org.eclipse.emf.codegen.ecore.generator.GeneratorAdapterFactory;
import org.eclipse.emf.codegen.ecore.genmodel.GenModel;
import org.eclipse.emf.codegen.ecore.genmodel.GenModelPackage;
import org.eclipse.emf.codegen.ecore.genmodel.GenPackage;
import org.eclipse.emf.codegen.ecore.genmodel.generator.GenBaseGeneratorAdapter;
import org.eclipse.emf.codegen.ecore.genmodel.generator.GenModelGeneratorAdapterFactory;
import org.eclipse.emf.common.util.BasicMonitor;
import org.eclipse.emf.common.util.Diagnostic;
import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.EPackage;
import org.eclipse.emf.ecore.EcorePackage;
import org.eclipse.emf.ecore.plugin.EcorePlugin;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.emf.ecore.resource.ResourceSet;
import org.eclipse.emf.ecore.resource.impl.ResourceSetImpl;
import org.eclipse.emf.ecore.util.Diagnostician;
import org.eclipse.emf.ecore.util.EcoreUtil;
import org.eclipse.emf.ecore.xmi.impl.EcoreResourceFactoryImpl;

/**
 * Regenerates {@code bundles/org.apotheca.model/src-gen} from {@code model/apotheca.genmodel} with the
 * standalone EMF code generator (no Eclipse, no workspace).
 * <p>
 * How it stays safe and repeatable:
 * <ul>
 * <li>The genmodel and ecore are only read. {@code platform:/resource/org.apotheca.model/} is mapped to a
 * scratch directory under this project's {@code target/}, so whatever the generator writes (model code,
 * and the plugin.xml / MANIFEST.MF / build.properties it likes to create) lands there first.</li>
 * <li>Only the scratch {@code src-gen/} is then moved into the bundle, replacing the old {@code src-gen/}
 * as a whole: stale files of deleted classes disappear, {@code src/}, {@code plugin.xml},
 * {@code META-INF/} and the model files are never touched.</li>
 * <li>Nothing is written when the ecore does not validate or the generator reports an error.</li>
 * <li>Output is a pure function of the model: no timestamps, LF line endings, UTF-8.</li>
 * </ul>
 * Usage: {@code GenerateModel <repository root>}.
 */
public final class GenerateModel {

	static final String BUNDLE = "org.apotheca.model";
	static final String GENMODEL = "model/apotheca.genmodel";
	static final String SRC_GEN = "src-gen";

	private GenerateModel() {
	}

	public static void main(String[] args) throws Exception {
		Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
		Path bundle = root.resolve("bundles").resolve(BUNDLE);
		Path genmodelFile = bundle.resolve(GENMODEL);
		if (!Files.isRegularFile(genmodelFile)) {
			fail("no genmodel at " + genmodelFile + " (pass the repository root as the first argument)");
		}
		Path work = Path.of(System.getProperty("apotheca.codegen.work",
				root.resolve("releng/org.apotheca.releng.codegen/target/codegen-work").toString())).toAbsolutePath();
		deleteTree(work);
		Files.createDirectories(work);

		// Standalone EMF: register what plugin.xml would register inside Eclipse.
		EcorePackage.eINSTANCE.eClass();
		GenModelPackage.eINSTANCE.eClass();
		GeneratorAdapterFactory.Descriptor.Registry.INSTANCE.addDescriptor(GenModelPackage.eNS_URI,
				GenModelGeneratorAdapterFactory.DESCRIPTOR);
		URI scratchProject = URI.createFileURI(work.toString() + "/");
		EcorePlugin.getPlatformResourceMap().put(BUNDLE, scratchProject);

		ResourceSet resourceSet = new ResourceSetImpl();
		resourceSet.getResourceFactoryRegistry().getExtensionToFactoryMap().put("ecore", new EcoreResourceFactoryImpl());
		resourceSet.getResourceFactoryRegistry().getExtensionToFactoryMap().put("genmodel", new EcoreResourceFactoryImpl());
		resourceSet.getPackageRegistry().put(GenModelPackage.eNS_URI, GenModelPackage.eINSTANCE);
		resourceSet.getPackageRegistry().put(EcorePackage.eNS_URI, EcorePackage.eINSTANCE);
		resourceSet.getURIConverter().getURIMap().put(URI.createPlatformResourceURI("/" + BUNDLE + "/", false), scratchProject);

		Resource genmodelResource = resourceSet.getResource(URI.createFileURI(genmodelFile.toString()), true);
		GenModel genModel = (GenModel) genmodelResource.getContents().get(0);
		EcoreUtil.resolveAll(resourceSet);
		reportLoadProblems(resourceSet);

		// 1. the ecore must be valid
		for (GenPackage genPackage : genModel.getGenPackages()) {
			EPackage ePackage = genPackage.getEcorePackage();
			if (ePackage == null || ePackage.eIsProxy()) {
				fail("the genmodel refers to an ecore package that cannot be loaded: " + genPackage);
			}
			Diagnostic diagnostic = Diagnostician.INSTANCE.validate(ePackage);
			if (diagnostic.getSeverity() >= Diagnostic.WARNING) {
				print(diagnostic, "");
			}
			if (diagnostic.getSeverity() == Diagnostic.ERROR) {
				fail("model/apotheca.ecore is not valid; nothing generated");
			}
		}

		// 2. the genmodel must be in step with the ecore: reconcile() adds/removes Gen* elements for
		// classes and features added to or removed from the ecore since the genmodel was last saved.
		if (!genModel.reconcile()) {
			fail("the genmodel could not be reconciled with the ecore");
		}
		Diagnostic genDiagnostic = genModel.diagnose();
		if (genDiagnostic.getSeverity() >= Diagnostic.WARNING) {
			print(genDiagnostic, "");
		}
		if (genDiagnostic.getSeverity() == Diagnostic.ERROR) {
			fail("the genmodel is not valid; nothing generated");
		}
		genModel.setCanGenerate(true);

		// 3. generate model code (only: no edit, editor or tests projects) into the scratch project
		Generator generator = new Generator();
		generator.setInput(genModel);
		boolean verbose = Boolean.getBoolean("apotheca.codegen.verbose");
		Diagnostic result = generator.generate(genModel, GenBaseGeneratorAdapter.MODEL_PROJECT_TYPE,
				verbose ? new BasicMonitor.Printing(System.out) : new BasicMonitor());
		if (result.getSeverity() >= Diagnostic.WARNING) {
			print(result, "");
		}
		if (result.getSeverity() == Diagnostic.ERROR) {
			fail("the generator reported errors; bundles/" + BUNDLE + "/" + SRC_GEN + " left as it was");
		}

		Path generated = work.resolve(SRC_GEN);
		if (!Files.isDirectory(generated)) {
			fail("the generator wrote no " + SRC_GEN + " (check modelDirectory in the genmodel)");
		}
		normaliseLineEndings(generated);
		if (verbose) {
			try (Stream<Path> files = Files.walk(work)) {
				files.filter(Files::isRegularFile).filter(p -> !p.startsWith(generated))
						.forEach(p -> System.out.println("ignored (the bundle's own file stays authoritative): " + work.relativize(p)));
			}
		}

		// 4. replace src-gen as a whole
		Path target = bundle.resolve(SRC_GEN);
		deleteTree(target);
		try {
			Files.move(generated, target, StandardCopyOption.ATOMIC_MOVE);
		} catch (IOException notSameFileSystem) {
			copyTree(generated, target);
		}
		long count;
		try (Stream<Path> files = Files.walk(target)) {
			count = files.filter(p -> p.toString().endsWith(".java")).count();
		}
		System.out.println("generated " + count + " Java files into " + root.relativize(target));
		deleteTree(work);
	}

	private static void reportLoadProblems(ResourceSet resourceSet) {
		boolean failed = false;
		for (Resource resource : resourceSet.getResources()) {
			for (Resource.Diagnostic error : resource.getErrors()) {
				System.err.println("ERROR " + resource.getURI() + ": " + error.getMessage());
				failed = true;
			}
		}
		if (failed) {
			fail("the model could not be loaded");
		}
	}

	private static void print(Diagnostic diagnostic, String indent) {
		String severity = switch (diagnostic.getSeverity()) {
		case Diagnostic.ERROR -> "ERROR";
		case Diagnostic.WARNING -> "WARNING";
		case Diagnostic.INFO -> "INFO";
		default -> "OK";
		};
		if (diagnostic.getMessage() != null && !diagnostic.getMessage().isBlank()) {
			System.err.println(indent + severity + ": " + diagnostic.getMessage());
		}
		if (diagnostic.getException() != null) {
			diagnostic.getException().printStackTrace();
		}
		for (Diagnostic child : diagnostic.getChildren()) {
			print(child, indent + "  ");
		}
	}

	/** The JET templates emit the platform line separator in places; make the output LF-only. */
	private static void normaliseLineEndings(Path dir) throws IOException {
		List<Path> files = new ArrayList<>();
		try (Stream<Path> walk = Files.walk(dir)) {
			walk.filter(Files::isRegularFile).forEach(files::add);
		}
		for (Path file : files) {
			String text = Files.readString(file, StandardCharsets.UTF_8);
			String lf = text.replace("\r\n", "\n").replace('\r', '\n');
			if (!lf.equals(text)) {
				Files.writeString(file, lf, StandardCharsets.UTF_8);
			}
		}
	}

	private static void copyTree(Path from, Path to) throws IOException {
		try (Stream<Path> walk = Files.walk(from)) {
			walk.forEach(source -> {
				try {
					Path dest = to.resolve(from.relativize(source).toString());
					if (Files.isDirectory(source)) {
						Files.createDirectories(dest);
					} else {
						Files.copy(source, dest, StandardCopyOption.REPLACE_EXISTING);
					}
				} catch (IOException e) {
					throw new UncheckedIOException(e);
				}
			});
		}
	}

	private static void deleteTree(Path dir) throws IOException {
		if (!Files.exists(dir)) {
			return;
		}
		try (Stream<Path> walk = Files.walk(dir)) {
			for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(p);
			}
		}
	}

	private static void fail(String message) {
		throw new IllegalStateException("apotheca codegen: " + message);
	}
}
