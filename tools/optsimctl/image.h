/* SPDX-License-Identifier: GPL-2.0 */
/*
 * optsimctl: disc images (image.c), for load --image.
 */
#ifndef OPTSIMCTL_IMAGE_H
#define OPTSIMCTL_IMAGE_H

#include <stdbool.h>
#include <stdint.h>

int image_open(const char *path, bool *read_only);
int image_create(const char *path, uint32_t media, uint64_t layer_sectors);

#endif /* OPTSIMCTL_IMAGE_H */
