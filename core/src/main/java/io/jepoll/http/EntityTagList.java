package io.jepoll.http;

import java.util.List;

/**
 * What an If-Match or If-None-Match field value says (RFC 9110 §13.1.1, §13.1.2): {@code *}, a list of tags, or
 * nothing understandable. {@link EntityTag#parseList} makes one.
 */
public sealed interface EntityTagList permits EntityTagList.Any, EntityTagList.Tags, EntityTagList.Invalid {

    /** The one {@code *}. */
    EntityTagList ANY = new Any();
    /** The one value that matches nothing. */
    EntityTagList INVALID = new Invalid();

    /** {@code *}: matches any current representation, none when there is none. */
    record Any() implements EntityTagList {
        @Override
        public boolean matchesStrongly(EntityTag current) {
            return current != null;
        }

        @Override
        public boolean matchesWeakly(EntityTag current) {
            return current != null;
        }
    }

    /**
     * A list, possibly of no tags (an empty or all-commas value).
     *
     * @param tags the tags in the order listed, at most {@link EntityTag#MAX_TAGS} when parsed
     */
    record Tags(List<EntityTag> tags) implements EntityTagList {
        /** Copies the list, so the record stays immutable. */
        public Tags {
            tags = List.copyOf(tags);
        }

        @Override
        public boolean matchesStrongly(EntityTag current) {
            for (EntityTag t : tags) {
                if (t.strongMatch(current)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public boolean matchesWeakly(EntityTag current) {
            for (EntityTag t : tags) {
                if (t.weakMatch(current)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A value that breaks the grammar or the bounds: it matches nothing. */
    record Invalid() implements EntityTagList {
        @Override
        public boolean matchesStrongly(EntityTag current) {
            return false;
        }

        @Override
        public boolean matchesWeakly(EntityTag current) {
            return false;
        }
    }

    /**
     * If-Match's test (§13.1.1): {@code *} and a current representation, or a listed tag that strongly matches
     * current (null: there is no current representation).
     *
     * @param current the tag of the current representation, or null when there is none
     * @return true when the If-Match condition holds
     */
    boolean matchesStrongly(EntityTag current);

    /**
     * If-None-Match's test (§13.1.2): {@code *} and a current representation, or a tag that weakly matches.
     *
     * @param current the tag of the current representation, or null when there is none
     * @return true when a tag matches, so the If-None-Match condition is false
     */
    boolean matchesWeakly(EntityTag current);
}
