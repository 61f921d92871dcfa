package io.airlock.plugin.rpm.repodata;

import io.airlock.plugin.rpm.GroupPackage;
import io.airlock.plugin.rpm.GroupRef;
import io.airlock.plugin.rpm.PackageCategory;
import io.airlock.plugin.rpm.PackageEnvironment;
import io.airlock.plugin.rpm.PackageGroup;
import io.airlock.plugin.rpm.PackageLangpacks;
import io.airlock.spi.Content;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/** Reads comps ({@code group} metadata): groups, categories, environments and langpacks, one at a time. */
final class CompsReader {

    private CompsReader() {
    }

    static long read(InputStream in, String file, Consumer<Content> units) {
        long count = 0;
        try (Xml xml = new Xml(in, file)) {
            if (!xml.next() || !xml.name().equals("comps")) {
                throw xml.error("the root element is not <comps>");
            }
            while (xml.nextChild()) {
                switch (xml.name()) {
                    case "group" -> units.accept(readGroup(xml));
                    case "category" -> units.accept(readCategory(xml));
                    case "environment" -> units.accept(readEnvironment(xml));
                    case "langpacks" -> units.accept(readLangpacks(xml));
                    default -> {
                        xml.skip();
                        continue;
                    }
                }
                count++;
            }
        }
        return count;
    }

    /** Fields common to groups, categories and environments; {@code <name xml:lang="de">} go to the by-language maps. */
    private static final class Common {
        String id;
        String name;
        String description;
        Integer displayOrder;
        final Map<String, String> nameByLang = new TreeMap<>();
        final Map<String, String> descriptionByLang = new TreeMap<>();

        /** Reads the element if it is a common one; false otherwise. */
        boolean read(Xml xml) {
            switch (xml.name()) {
                case "id" -> id = xml.text().strip();
                case "name", "description" -> {
                    boolean isName = xml.name().equals("name");
                    String lang = xml.attribute("lang");
                    String text = xml.text();
                    if (lang == null) {
                        if (isName) {
                            name = text;
                        } else {
                            description = text;
                        }
                    } else {
                        (isName ? nameByLang : descriptionByLang).put(lang, text);
                    }
                }
                case "display_order" -> {
                    String text = xml.text().strip();
                    try {
                        displayOrder = Integer.valueOf(text);
                    } catch (NumberFormatException e) {
                        throw xml.error("<display_order> '" + text + "' is not a number");
                    }
                }
                default -> {
                    return false;
                }
            }
            return true;
        }

        String requireId(Xml xml, String element) {
            if (id == null || id.isEmpty()) {
                throw xml.error("<" + element + "> has no <id>");
            }
            return id;
        }
    }

    private static PackageGroup readGroup(Xml xml) {
        Common common = new Common();
        Boolean isDefault = null, userVisible = null, biarchOnly = null;
        List<GroupPackage> packages = new ArrayList<>();
        while (xml.nextChild()) {
            if (common.read(xml)) {
                continue;
            }
            switch (xml.name()) {
                case "default" -> isDefault = bool(xml.text());
                case "uservisible" -> userVisible = bool(xml.text());
                case "biarchonly" -> biarchOnly = bool(xml.text());
                case "packagelist" -> {
                    while (xml.nextChild()) {
                        if (!xml.name().equals("packagereq")) {
                            xml.skip();
                            continue;
                        }
                        String type = xml.attribute("type");
                        String requires = xml.attribute("requires");
                        String basearch = xml.attribute("basearchonly");
                        packages.add(new GroupPackage(xml.text().strip(), type, requires, basearch == null ? null : bool(basearch)));
                    }
                }
                default -> xml.skip();
            }
        }
        return new PackageGroup(common.requireId(xml, "group"), common.name, common.description, isDefault, userVisible,
                biarchOnly, common.displayOrder, packages, common.nameByLang, common.descriptionByLang);
    }

    private static PackageCategory readCategory(Xml xml) {
        Common common = new Common();
        List<GroupRef> groups = new ArrayList<>();
        while (xml.nextChild()) {
            if (common.read(xml)) {
                continue;
            }
            if (xml.name().equals("grouplist")) {
                readGroupList(xml, groups);
            } else {
                xml.skip();
            }
        }
        return new PackageCategory(common.requireId(xml, "category"), common.name, common.description, common.displayOrder,
                groups, common.nameByLang, common.descriptionByLang);
    }

    private static PackageEnvironment readEnvironment(Xml xml) {
        Common common = new Common();
        List<GroupRef> groups = new ArrayList<>();
        List<GroupRef> options = new ArrayList<>();
        while (xml.nextChild()) {
            if (common.read(xml)) {
                continue;
            }
            switch (xml.name()) {
                case "grouplist" -> readGroupList(xml, groups);
                case "optionlist" -> readGroupList(xml, options);
                default -> xml.skip();
            }
        }
        return new PackageEnvironment(common.requireId(xml, "environment"), common.name, common.description,
                common.displayOrder, groups, options, common.nameByLang, common.descriptionByLang);
    }

    private static void readGroupList(Xml xml, List<GroupRef> into) {
        while (xml.nextChild()) {
            if (!xml.name().equals("groupid")) {
                xml.skip();
                continue;
            }
            String isDefault = xml.attribute("default");
            into.add(new GroupRef(xml.text().strip(), isDefault == null ? null : bool(isDefault)));
        }
    }

    private static PackageLangpacks readLangpacks(Xml xml) {
        List<PackageLangpacks.LangpackMatch> matches = new ArrayList<>();
        while (xml.nextChild()) {
            if (xml.name().equals("match")) {
                matches.add(new PackageLangpacks.LangpackMatch(xml.requiredAttribute("name"), xml.requiredAttribute("install")));
            }
            xml.skip();
        }
        return new PackageLangpacks(matches);
    }

    private static Boolean bool(String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        return value.equals("true") || value.equals("1") || value.equals("yes");
    }
}
