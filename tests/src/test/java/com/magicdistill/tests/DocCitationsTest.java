package com.magicdistill.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every {@code docs/<name>.md#anchor} cited in the sources and docs names a file and a heading that
 * exist, and nothing cites the notes that live outside the repository.
 */
class DocCitationsTest {
  /** A docs/<name>.md file, its #anchor, and further ", #anchor"s into the same file. */
  private static final Pattern CITATION =
      Pattern.compile("(docs/[A-Za-z_]+\\.md)((?:#[a-z0-9_-]+)?)((?:, #[a-z0-9_-]+)*)");

  private static final Pattern ANCHOR = Pattern.compile("#([a-z0-9_-]+)");

  /** Notes that were never part of the repository. */
  private static final Pattern OUTSIDE =
      Pattern.compile("\\bRECIPE\\b|\\bSTACK\\.md|\\.\\./shared/docs");

  @Test
  void everyCitedDocAndAnchorExists() throws IOException {
    Path root = repoRoot();
    List<String> broken = new ArrayList<>();
    int citations = 0;
    for (Path file : sourcesAndDocs(root)) {
      Matcher m = CITATION.matcher(Files.readString(file));
      while (m.find()) {
        citations++;
        Path doc = root.resolve(m.group(1));
        if (!Files.isRegularFile(doc)) {
          broken.add(root.relativize(file) + ": " + m.group(1) + " does not exist");
          continue;
        }
        Set<String> anchors = headingAnchors(doc);
        Matcher a = ANCHOR.matcher(m.group(2) + m.group(3));
        while (a.find()) {
          if (!anchors.contains(a.group(1))) {
            broken.add(root.relativize(file) + ": " + m.group(1) + " has no #" + a.group(1));
          }
        }
      }
    }
    assertTrue(citations > 50, "found only " + citations + " citations under " + root);
    assertEquals(List.of(), broken);
  }

  @Test
  void nothingCitesNotesOutsideTheRepository() throws IOException {
    Path root = repoRoot();
    List<String> found = new ArrayList<>();
    for (Path file : sourcesAndDocs(root)) {
      List<String> lines = Files.readAllLines(file);
      for (int i = 0; i < lines.size(); i++) {
        if (OUTSIDE.matcher(lines.get(i)).find()) {
          found.add(root.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).strip());
        }
      }
    }
    assertEquals(List.of(), found);
  }

  /** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
  static Set<String> headingAnchors(Path markdown) throws IOException {
    Set<String> out = new HashSet<>();
    for (String line : Files.readAllLines(markdown)) {
      Matcher h = Pattern.compile("^#{1,6}\\s+(.*)$").matcher(line);
      if (h.matches()) {
        out.add(
            h.group(1)
                .strip()
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N}_\\- ]", "")
                .replace(' ', '-'));
      }
    }
    return out;
  }

  private static List<Path> sourcesAndDocs(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> p.toString().endsWith(".java") || p.toString().endsWith(".md"))
          .filter(p -> !isSkipped(root.relativize(p)))
          .sorted()
          .toList();
    }
  }

  private static boolean isSkipped(Path relative) {
    for (Path part : relative) {
      String name = part.toString();
      if (name.equals("target") || name.equals("node_modules") || name.startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("docs/ALGORITHM.md"))) {
      dir = dir.getParent();
    }
    assertTrue(dir != null, "no docs/ALGORITHM.md above " + Path.of("").toAbsolutePath());
    return dir;
  }
}
