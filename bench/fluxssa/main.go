// Command fluxssa applies a multi-document YAML file with Flux's server-side apply engine (fluxcd/pkg/ssa
// ResourceManager.ApplyAll), the way kustomize-controller does, and prints one JSON line with the change counts.
// It is the "Flux's engine" comparator of bench/reconcile, not part of Roster.
//
//	fluxssa -kubeconfig FILE -context NAME -f manifests.yaml [-concurrency 16]
//
// Client-side throttling is off (QPS and Burst high) so that the API server, not the client, sets the pace,
// as for Roster's and kubectl's runs in the same benchmark.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/fluxcd/pkg/ssa"
	"github.com/fluxcd/pkg/ssa/utils"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

func main() {
	kubeconfig := flag.String("kubeconfig", "", "kubeconfig file")
	kubeContext := flag.String("context", "", "kubeconfig context")
	file := flag.String("f", "", "multi-document YAML manifests")
	concurrency := flag.Int("concurrency", 16, "objects checked for drift at once (ResourceManager.SetConcurrency)")
	flag.Parse()
	if err := run(*kubeconfig, *kubeContext, *file, *concurrency); err != nil {
		fmt.Fprintf(os.Stderr, "fluxssa: %v\n", err)
		os.Exit(1)
	}
}

func run(kubeconfig, kubeContext, file string, concurrency int) error {
	started := time.Now()
	rules := &clientcmd.ClientConfigLoadingRules{ExplicitPath: kubeconfig}
	overrides := &clientcmd.ConfigOverrides{CurrentContext: kubeContext}
	cfg, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, overrides).ClientConfig()
	if err != nil {
		return err
	}
	cfg.QPS, cfg.Burst = 100000, 100000
	cfg.UserAgent = "fluxssa-bench"
	c, err := client.New(cfg, client.Options{})
	if err != nil {
		return err
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	objects, err := utils.ReadObjects(f)
	if err != nil {
		return err
	}
	manager := ssa.NewResourceManager(c, nil, ssa.Owner{Field: "fluxssa-bench", Group: "fluxssa.bench"})
	manager.SetConcurrency(concurrency)
	changes, err := manager.ApplyAll(context.Background(), objects, ssa.DefaultApplyOptions())
	if err != nil {
		return err
	}
	counts := map[string]int{}
	for _, e := range changes.Entries {
		counts[string(e.Action)]++
	}
	return json.NewEncoder(os.Stdout).Encode(map[string]any{
		"objects": len(objects),
		"actions": counts,
		"ms":      time.Since(started).Milliseconds(),
	})
}
