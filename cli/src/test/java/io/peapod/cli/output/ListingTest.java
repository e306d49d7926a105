package io.peapod.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.peapod.base.error.InvalidArgumentException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ListingTest {
  record Meta(String name, Map<String, String> labels) {}

  record Status(int restarts) {}

  record Item(Meta metadata, Status status) {}

  private static final List<Item> ITEMS = List.of(new Item(new Meta("web", Map.of("app", "web", "tier", "front")),
      new Status(10)), new Item(new Meta("db", Map.of()), new Status(9)));
  private static final Listing.Columns<Item> NAME = Listing.Columns.of(List.of("NAME"),
      i -> List.of(i.metadata().name()));

  private static String print(Listing.Options o) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    Listing.print(new PrintStream(buf, true, StandardCharsets.UTF_8), o, ITEMS, false, "pod", NAME);
    return buf.toString(StandardCharsets.UTF_8);
  }

  @Test
  void labelColumns_showLabels_noHeaders_andNumericSort() {
    assertEquals("NAME   APP   LABELS\nweb    web   app=web,tier=front\ndb           <none>\n",
        print(Listing.Options.of("", true, List.of("app"), false, Optional.empty())));
    assertEquals("db\nweb\n", print(Listing.Options.of("", false, List.of(), true,
        Optional.of(".status.restarts"))), "9 before 10: numbers sort by value");
  }

  @Test
  void customColumnsAndName() {
    assertEquals("N     T\nweb   front\ndb    <none>\n",
        print(Listing.Options.of("custom-columns=N:.metadata.name,T:.metadata.labels.tier", false, List.of(), false,
            Optional.empty())));
    assertEquals("pod/web\npod/db\n", print(Listing.Options.of("name", false, List.of(), false, Optional.empty())));
    assertThrows(InvalidArgumentException.class, () -> print(Listing.Options.of("custom-columns=N", false, List.of(),
        false, Optional.empty())), "a column needs HEADER:PATH");
    assertThrows(InvalidArgumentException.class, () -> Listing.Options.of("table", false, List.of(), false,
        Optional.empty()));
  }
}
