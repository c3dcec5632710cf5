"""Anatomical criteria of Painchaud et al. (as vital implements them for CAMUS), checked with scipy on
masks saved as one .npy of shape [N, H, W]. Prints one JSON object per mask with the measures."""
import json
import sys

import numpy as np
from scipy import ndimage

EIGHT = np.ones((3, 3), dtype=bool)


def components(binary):
    return ndimage.label(binary, structure=EIGHT)[1]


def holes(binary):
    return int(ndimage.binary_fill_holes(binary).sum() - binary.sum())


def frontier_ratio(first, second):
    touching = int((first & ndimage.binary_dilation(second, EIGHT)).sum())
    cols = np.where(first.any(axis=0))[0]
    width = cols[-1] - cols[0] if len(cols) else 0
    return (touching if touching > 1 else 0) / width if width else float('nan')


def width_ratio(lv, myo):
    row = int(ndimage.center_of_mass(lv | myo)[0])
    lv_width, myo_width = int(lv[row].sum()), int(myo[row].sum())
    return lv_width / myo_width if lv_width and myo_width else float('nan')


def erosion_ratio(myo, small):
    thickness = ndimage.distance_transform_edt(myo).max()
    eroding, erosions = myo.copy(), 0
    while components(eroding) == 1:
        eroding = ndimage.binary_erosion(eroding, EIGHT)
        labels, count = ndimage.label(eroding, structure=EIGHT)
        sizes = ndimage.sum(eroding, labels, range(1, count + 1))
        for label, size in enumerate(sizes, start=1):
            if size < small:
                eroding[labels == label] = False
        erosions += 1
    return erosions / thickness


for mask in np.load(sys.argv[1]):
    lv, myo, la = mask == 1, mask == 2, mask == 3
    epi = lv | myo
    background = mask == 0
    print(json.dumps({
        'components': [components(lv), components(myo), components(la)],
        'holes': [holes(lv), holes(la), holes(epi)],
        'enclosedBackground': holes(epi | la),
        'lvBackground': frontier_ratio(lv, background),
        'myoAtrium': frontier_ratio(myo, la),
        'widthRatio': width_ratio(lv, myo),
        'erosionRatio': erosion_ratio(myo, mask.shape[0] * mask.shape[1] / 2 ** 14),
    }))
