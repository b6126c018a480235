package net.corosio.tck;

import java.io.File;
import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds a module layer holding a backend's module and the modules it requires, found among the
 * class path's entries, so the kit can check that the backend works on the module path too.
 */
final class ModuleLayers {

    private ModuleLayers() {}

    /**
     * Returns the class-path entry (jar or directory) a class was loaded from.
     *
     * @param type the class
     * @return its location
     */
    static Path locationOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate " + type, e);
        }
    }

    /**
     * Reads the module descriptor at a location.
     *
     * @param location a jar or a directory of classes
     * @return its module, if the location holds one
     */
    static Optional<ModuleReference> moduleAt(Path location) {
        try {
            return ModuleFinder.of(location).findAll().stream().findFirst();
        } catch (FindException e) {
            return Optional.empty();
        }
    }

    /**
     * Defines a layer with {@code root} and everything it requires (transitively) that is not in
     * the boot layer, taken from the class path, with service binding on.
     *
     * @param root the root module's reference
     * @return the new layer
     */
    static ModuleLayer layerFor(ModuleReference root) {
        Map<String, Path> available = classPathModules();
        Set<Path> chosen = new LinkedHashSet<>();
        Deque<ModuleDescriptor> pending = new ArrayDeque<>();
        pending.push(root.descriptor());
        chosen.add(Path.of(root.location().orElseThrow()));
        Set<String> seen = new LinkedHashSet<>();
        while (!pending.isEmpty()) {
            ModuleDescriptor descriptor = pending.pop();
            if (!seen.add(descriptor.name())) {
                continue;
            }
            for (ModuleDescriptor.Requires requires : descriptor.requires()) {
                String name = requires.name();
                if (ModuleLayer.boot().findModule(name).isPresent()
                        || requires.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC)) {
                    continue;
                }
                Path path = available.get(name);
                if (path == null) {
                    throw new IllegalStateException("module " + descriptor.name() + " requires " + name
                            + ", which is on neither the boot layer nor the class path");
                }
                if (chosen.add(path)) {
                    moduleAt(path).ifPresent(m -> pending.push(m.descriptor()));
                }
            }
        }
        ModuleFinder finder = ModuleFinder.of(chosen.toArray(Path[]::new));
        Configuration configuration = ModuleLayer.boot().configuration()
                .resolveAndBind(finder, ModuleFinder.of(), Set.of(root.descriptor().name()));
        return ModuleLayer.boot().defineModulesWithOneLoader(configuration, ClassLoader.getPlatformClassLoader());
    }

    private static Map<String, Path> classPathModules() {
        Map<String, Path> modules = new HashMap<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path path = Path.of(entry);
            moduleAt(path).ifPresent(m -> modules.putIfAbsent(m.descriptor().name(), path));
        }
        return modules;
    }
}
