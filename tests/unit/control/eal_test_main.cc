// gtest main for tests that need rte_ring: a minimal EAL without hugepages,
// PCI or shared files, so they run anywhere (no NIC, no root-only setup).
#include <gtest/gtest.h>
#include <rte_eal.h>

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  char prog[] = "weir_test";
  char a1[] = "--no-huge";
  char a2[] = "--no-pci";
  char a3[] = "-m";
  char a4[] = "64";
  char a5[] = "--no-shconf";
  char a6[] = "--log-level=error";
  char a7[] = "-l";
  char a8[] = "0";
  char* eal_argv[] = {prog, a1, a2, a3, a4, a5, a6, a7, a8};
  if (rte_eal_init(9, eal_argv) < 0) {
    fprintf(stderr, "rte_eal_init failed\n");
    return 1;
  }
  const int rc = RUN_ALL_TESTS();
  rte_eal_cleanup();
  return rc;
}
