#include <mongoc/mongoc.h>

/* bson_t and bson_iter_t are 128-byte aligned, so Swift sees them as opaque: these allocate them. */
static inline bson_iter_t *trip_bson_iter_new(void) {
    return (bson_iter_t *) bson_aligned_alloc0(BSON_ALIGNOF(bson_iter_t), sizeof(bson_iter_t));
}

static inline bson_t *trip_bson_storage_new(void) {
    return (bson_t *) bson_aligned_alloc0(BSON_ALIGNOF(bson_t), sizeof(bson_t));
}
